# `cmd &` for one program, and `wait` for every job, its output shown before what follows `wait`; anything else backgrounded is refused.
## bg-program-then-wait
sh -c 'sleep 0.3; echo "backup finished"' &
echo "started backup"
wait
echo "all done"
## bg-two-programs-wait
sh -c 'sleep 0.2; echo one' &
sh -c 'sleep 0.5; echo two' &
wait
echo "both finished"
## bg-wait-without-jobs
wait
echo "rc=$?"
## bg-wait-status-zero
sh -c 'exit 3' &
wait
echo "rc=$?"
## bg-group-refused
{ sleep 0.2; echo late; } &
echo early
wait
## bg-chain-refused
sleep 0.2 && echo late &
wait
## bg-builtin-refused
echo "in background" &
wait
## bg-wait-pid-refused
sh -c 'sleep 0.1' &
wait $!
