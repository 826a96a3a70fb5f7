(module
  (type (;0;) (func (param i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;5;) (func (param i32 i32 i32 i32) (result i32 i32)))
  (type (;6;) (func (param i32 i32) (result i32 i32)))
  (type (;7;) (func (param i32) (result i32 i32)))
  (type (;8;) (func (result i32 i32 i32)))
  (type (;9;) (func (param i32 i32 i32 i32 i32) (result i32 i32)))
  (type (;10;) (func (param i32 i32 i32 i32 i32 i32 i32) (result i32 i32)))
  (type (;11;) (func (param i32 i32) (result i64 i32)))
  (type (;12;) (func (param i64) (result i32 i32)))
  (type (;13;) (func (param i64 i64) (result i64)))
  (type (;14;) (func (param i32 i32 i32 i32) (result i32 i32 i32 i32)))
  (type (;15;) (func (param i32 i32 i32 i32 i32) (result i32)))
  (type (;16;) (func (param i32 i32 i32 i32 i32) (result i32 i32 i32)))
  (type (;17;) (func (param i32 i32 i32) (result i32)))
  (type (;18;) (func (param i32 i32 i32) (result i32 i32 i32)))
  (type (;19;) (func))
  (type (;20;) (func (result i32)))
  (import "playbook:host/http@0.2.0" "send" (func (;0;) (type 0) (param i32 i32)))
  (import "playbook:host/operator@0.2.0" "print" (func (;1;) (type 1) (param i32 i32 i32 i32)))
  (import "playbook:host/operator@0.2.0" "step-end" (func (;2;) (type 2) (param i32 i32 i32)))
  (import "playbook:host/operator@0.2.0" "step-start" (func (;3;) (type 1) (param i32 i32 i32 i32)))
  (memory (;0;) 1)
  (global (;0;) (mut i32) i32.const 96)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "cabi_realloc" (func 5))
  (export "run" (func 27))
  (func (;4;) (type 3) (param i32 i32) (result i32)
    (local i32 i32)
    global.get 0
    local.get 1
    i32.add
    i32.const 1
    i32.sub
    i32.const 0
    local.get 1
    i32.sub
    i32.and
    local.set 2
    local.get 2
    local.get 0
    i32.add
    local.set 3
    block ;; label = @1
      local.get 3
      memory.size
      i32.const 16
      i32.shl
      i32.le_u
      br_if 0 (;@1;)
      local.get 3
      memory.size
      i32.const 16
      i32.shl
      i32.sub
      i32.const 65535
      i32.add
      i32.const 16
      i32.shr_u
      memory.grow
      i32.const -1
      i32.eq
      if ;; label = @2
        unreachable
      end
    end
    local.get 3
    global.set 0
    local.get 2
  )
  (func (;5;) (type 4) (param i32 i32 i32 i32) (result i32)
    (local i32)
    local.get 3
    local.get 2
    call 4
    local.set 4
    local.get 1
    if ;; label = @1
      local.get 4
      local.get 0
      local.get 1
      local.get 3
      local.get 1
      local.get 3
      i32.lt_u
      select
      memory.copy
    end
    local.get 4
  )
  (func (;6;) (type 5) (param i32 i32 i32 i32) (result i32 i32)
    (local i32)
    local.get 3
    i32.eqz
    if ;; label = @1
      local.get 0
      local.get 1
      return
    end
    local.get 1
    i32.eqz
    if ;; label = @1
      local.get 2
      local.get 3
      return
    end
    local.get 1
    local.get 3
    i32.add
    i32.const 1
    call 4
    local.set 4
    local.get 4
    local.get 0
    local.get 1
    memory.copy
    local.get 4
    local.get 1
    i32.add
    local.get 2
    local.get 3
    memory.copy
    local.get 4
    local.get 1
    local.get 3
    i32.add
  )
  (func (;7;) (type 6) (param i32 i32) (result i32 i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 1
    i32.const 1
    i32.add
    i32.const 1
    i32.shr_u
    i32.const 1
    i32.add
    i32.const 8
    i32.mul
    i32.const 4
    call 4
    local.set 4
    block ;; label = @1
      loop ;; label = @2
        local.get 2
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 2
        i32.add
        i32.load8_u
        local.set 7
        local.get 7
        i32.const 32
        i32.eq
        local.get 7
        i32.const 9
        i32.eq
        i32.or
        local.get 7
        i32.const 10
        i32.eq
        i32.or
        local.get 7
        i32.const 13
        i32.eq
        i32.or
        if ;; label = @3
          local.get 6
          if ;; label = @4
            local.get 4
            local.get 3
            i32.const 8
            i32.mul
            i32.add
            local.get 0
            local.get 5
            i32.add
            i32.store
            local.get 4
            local.get 3
            i32.const 8
            i32.mul
            i32.add
            local.get 2
            local.get 5
            i32.sub
            i32.store offset=4
            local.get 3
            i32.const 1
            i32.add
            local.set 3
            i32.const 0
            local.set 6
          end
        else
          local.get 6
          i32.eqz
          if ;; label = @4
            local.get 2
            local.set 5
            i32.const 1
            local.set 6
          end
        end
        local.get 2
        i32.const 1
        i32.add
        local.set 2
        br 0 (;@2;)
      end
    end
    local.get 6
    if ;; label = @1
      local.get 4
      local.get 3
      i32.const 8
      i32.mul
      i32.add
      local.get 0
      local.get 5
      i32.add
      i32.store
      local.get 4
      local.get 3
      i32.const 8
      i32.mul
      i32.add
      local.get 1
      local.get 5
      i32.sub
      i32.store offset=4
      local.get 3
      i32.const 1
      i32.add
      local.set 3
    end
    local.get 4
    local.get 3
  )
  (func (;8;) (type 6) (param i32 i32) (result i32 i32)
    block ;; label = @1
      loop ;; label = @2
        local.get 1
        i32.eqz
        br_if 1 (;@1;)
        local.get 0
        local.get 1
        i32.add
        i32.const 1
        i32.sub
        i32.load8_u
        i32.const 10
        i32.ne
        br_if 1 (;@1;)
        local.get 1
        i32.const 1
        i32.sub
        local.set 1
        br 0 (;@2;)
      end
    end
    local.get 0
    local.get 1
  )
  (func (;9;) (type 7) (param i32) (result i32 i32)
    (local i32 i32 i32 i32)
    i32.const 12
    i32.const 1
    call 4
    local.set 1
    i32.const 12
    local.set 2
    local.get 0
    i32.const 0
    i32.lt_s
    local.set 3
    i32.const 0
    local.get 0
    i32.sub
    local.get 0
    local.get 3
    select
    local.set 4
    loop ;; label = @1
      local.get 2
      i32.const 1
      i32.sub
      local.set 2
      local.get 1
      local.get 2
      i32.add
      local.get 4
      i32.const 10
      i32.rem_u
      i32.const 48
      i32.add
      i32.store8
      local.get 4
      i32.const 10
      i32.div_u
      local.set 4
      local.get 4
      br_if 0 (;@1;)
    end
    local.get 3
    if ;; label = @1
      local.get 2
      i32.const 1
      i32.sub
      local.set 2
      local.get 1
      local.get 2
      i32.add
      i32.const 45
      i32.store8
    end
    local.get 1
    local.get 2
    i32.add
    i32.const 12
    local.get 2
    i32.sub
  )
  (func (;10;) (type 8) (result i32 i32 i32)
    i32.const 8
    i32.load8_u
    if ;; label = @1
      i32.const 8
      i32.load8_u offset=4
      i32.eqz
      if ;; label = @2
        i32.const 126
        global.set 2
        i32.const 1
        global.set 1
      end
      i32.const 1
      i32.const 0
      i32.const 0
      return
    end
    i32.const 8
    i32.load offset=4
    i32.const 8
    i32.load offset=8
    i32.const 8
    i32.load offset=12
  )
  (func (;11;) (type 4) (param i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    i32.const -1
    local.set 6
    block ;; label = @1
      block ;; label = @2
        loop ;; label = @3
          local.get 5
          local.get 3
          i32.ge_u
          br_if 1 (;@2;)
          local.get 2
          local.get 5
          i32.add
          i32.load8_u
          local.set 9
          block ;; label = @4
            local.get 4
            local.get 1
            i32.ge_u
            br_if 0 (;@4;)
            local.get 0
            local.get 4
            i32.add
            i32.load8_u
            local.set 8
            local.get 8
            i32.const 42
            i32.eq
            if ;; label = @5
              local.get 4
              local.set 6
              local.get 4
              i32.const 1
              i32.add
              local.set 4
              local.get 5
              local.set 7
              br 2 (;@3;)
            end
            i32.const 1
            local.set 12
            i32.const 1
            local.set 11
            local.get 8
            i32.const 63
            i32.eq
            if ;; label = @5
              i32.const 1
              local.set 10
              i32.const 2
              i32.const 1
              local.get 9
              i32.const 192
              i32.ge_u
              select
              local.set 12
              i32.const 3
              local.get 12
              local.get 9
              i32.const 224
              i32.ge_u
              select
              local.set 12
              i32.const 4
              local.get 12
              local.get 9
              i32.const 240
              i32.ge_u
              select
              local.set 12
              local.get 5
              local.get 12
              i32.add
              local.get 3
              i32.gt_u
              if ;; label = @6
                i32.const 1
                local.set 12
              end
            else
              local.get 8
              i32.const 92
              i32.eq
              local.get 4
              i32.const 1
              i32.add
              local.get 1
              i32.lt_u
              i32.and
              if ;; label = @6
                local.get 0
                local.get 4
                i32.add
                i32.load8_u offset=1
                local.get 9
                i32.eq
                local.set 10
                i32.const 2
                local.set 11
              else
                local.get 8
                local.get 9
                i32.eq
                local.set 10
                local.get 8
                i32.const 91
                i32.eq
                if ;; label = @7
                  local.get 4
                  i32.const 1
                  i32.add
                  local.set 13
                  i32.const 0
                  local.set 14
                  local.get 13
                  local.get 1
                  i32.lt_u
                  if ;; label = @8
                    local.get 0
                    local.get 13
                    i32.add
                    i32.load8_u
                    local.set 18
                    local.get 18
                    i32.const 33
                    i32.eq
                    local.get 18
                    i32.const 94
                    i32.eq
                    i32.or
                    if ;; label = @9
                      i32.const 1
                      local.set 14
                      local.get 13
                      i32.const 1
                      i32.add
                      local.set 13
                    end
                  end
                  local.get 13
                  local.set 15
                  i32.const 0
                  local.set 16
                  block ;; label = @8
                    loop ;; label = @9
                      local.get 13
                      local.get 1
                      i32.ge_u
                      br_if 1 (;@8;)
                      local.get 0
                      local.get 13
                      i32.add
                      i32.load8_u
                      local.set 18
                      local.get 18
                      i32.const 93
                      i32.eq
                      local.get 13
                      local.get 15
                      i32.gt_u
                      i32.and
                      if ;; label = @10
                        local.get 16
                        local.get 14
                        i32.xor
                        local.set 10
                        local.get 13
                        i32.const 1
                        i32.add
                        local.get 4
                        i32.sub
                        local.set 11
                        br 3 (;@7;)
                      end
                      local.get 18
                      i32.const 92
                      i32.eq
                      local.get 13
                      i32.const 1
                      i32.add
                      local.get 1
                      i32.lt_u
                      i32.and
                      if ;; label = @10
                        local.get 13
                        i32.const 1
                        i32.add
                        local.set 13
                        local.get 0
                        local.get 13
                        i32.add
                        i32.load8_u
                        local.set 18
                      end
                      local.get 18
                      local.set 17
                      local.get 13
                      i32.const 2
                      i32.add
                      local.get 1
                      i32.lt_u
                      if ;; label = @10
                        local.get 0
                        local.get 13
                        i32.add
                        i32.load8_u offset=1
                        i32.const 45
                        i32.eq
                        local.get 0
                        local.get 13
                        i32.add
                        i32.load8_u offset=2
                        i32.const 93
                        i32.ne
                        i32.and
                        if ;; label = @11
                          local.get 0
                          local.get 13
                          i32.add
                          i32.load8_u offset=2
                          local.set 17
                          local.get 13
                          i32.const 2
                          i32.add
                          local.set 13
                        end
                      end
                      local.get 9
                      local.get 18
                      i32.ge_u
                      local.get 9
                      local.get 17
                      i32.le_u
                      i32.and
                      local.get 16
                      i32.or
                      local.set 16
                      local.get 13
                      i32.const 1
                      i32.add
                      local.set 13
                      br 0 (;@9;)
                    end
                  end
                end
              end
            end
            local.get 10
            i32.eqz
            br_if 0 (;@4;)
            local.get 4
            local.get 11
            i32.add
            local.set 4
            local.get 5
            local.get 12
            i32.add
            local.set 5
            br 1 (;@3;)
          end
          local.get 6
          i32.const 0
          i32.lt_s
          br_if 2 (;@1;)
          local.get 6
          i32.const 1
          i32.add
          local.set 4
          local.get 7
          i32.const 1
          i32.add
          local.set 7
          local.get 7
          local.set 5
          br 0 (;@3;)
        end
      end
      block ;; label = @2
        loop ;; label = @3
          local.get 4
          local.get 1
          i32.ge_u
          br_if 1 (;@2;)
          local.get 0
          local.get 4
          i32.add
          i32.load8_u
          i32.const 42
          i32.ne
          br_if 1 (;@2;)
          local.get 4
          i32.const 1
          i32.add
          local.set 4
          br 0 (;@3;)
        end
      end
      local.get 4
      local.get 1
      i32.eq
      return
    end
    i32.const 0
  )
  (func (;12;) (type 6) (param i32 i32) (result i32 i32)
    (local i32 i32 i32 i32)
    local.get 1
    i32.const 2
    i32.mul
    i32.const 1
    i32.add
    i32.const 1
    call 4
    local.set 2
    block ;; label = @1
      loop ;; label = @2
        local.get 4
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 4
        i32.add
        i32.load8_u
        local.set 5
        local.get 5
        i32.const 42
        i32.eq
        local.get 5
        i32.const 63
        i32.eq
        local.get 5
        i32.const 91
        i32.eq
        local.get 5
        i32.const 93
        i32.eq
        local.get 5
        i32.const 92
        i32.eq
        i32.or
        i32.or
        i32.or
        i32.or
        if ;; label = @3
          local.get 2
          local.get 3
          i32.add
          i32.const 92
          i32.store8
          local.get 3
          i32.const 1
          i32.add
          local.set 3
        end
        local.get 2
        local.get 3
        i32.add
        local.get 5
        i32.store8
        local.get 3
        i32.const 1
        i32.add
        local.set 3
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0 (;@2;)
      end
    end
    local.get 2
    local.get 3
  )
  (func (;13;) (type 3) (param i32 i32) (result i32)
    (local i32 i32)
    block ;; label = @1
      loop ;; label = @2
        local.get 2
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 2
        i32.add
        i32.load8_u
        i32.const 192
        i32.and
        i32.const 128
        i32.ne
        local.get 3
        i32.add
        local.set 3
        local.get 2
        i32.const 1
        i32.add
        local.set 2
        br 0 (;@2;)
      end
    end
    local.get 3
  )
  (func (;14;) (type 9) (param i32 i32 i32 i32 i32) (result i32 i32)
    (local i32 i32 i32 i32)
    local.get 4
    i32.const 2
    i32.and
    local.set 5
    local.get 4
    i32.const 1
    i32.and
    local.set 6
    local.get 5
    i32.eqz
    local.get 6
    i32.eqz
    i32.eq
    local.set 7
    i32.const 0
    local.get 3
    local.get 7
    select
    local.set 8
    block ;; label = @1
      loop ;; label = @2
        local.get 8
        local.get 3
        i32.lt_u
        local.get 2
        local.get 8
        i32.add
        local.get 2
        local.get 8
        local.get 3
        i32.lt_u
        select
        i32.load8_u
        i32.const 192
        i32.and
        i32.const 128
        i32.eq
        i32.and
        i32.eqz
        if ;; label = @3
          local.get 0
          local.get 1
          local.get 2
          local.get 8
          i32.add
          local.get 2
          local.get 5
          select
          local.get 3
          local.get 8
          i32.sub
          local.get 8
          local.get 5
          select
          call 11
          if ;; label = @4
            local.get 5
            if ;; label = @5
              local.get 2
              local.get 8
              return
            end
            local.get 2
            local.get 8
            i32.add
            local.get 3
            local.get 8
            i32.sub
            return
          end
        end
        local.get 8
        local.get 3
        i32.const 0
        local.get 7
        select
        i32.eq
        br_if 1 (;@1;)
        local.get 8
        i32.const 1
        i32.const -1
        local.get 7
        select
        i32.add
        local.set 8
        br 0 (;@2;)
      end
    end
    local.get 2
    local.get 3
  )
  (func (;15;) (type 10) (param i32 i32 i32 i32 i32 i32 i32) (result i32 i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 6
    i32.const 2
    i32.eq
    if ;; label = @1
      local.get 3
      local.set 8
      loop ;; label = @2
        local.get 0
        local.get 1
        local.get 2
        local.get 8
        call 11
        if ;; label = @3
          local.get 4
          local.get 5
          local.get 2
          local.get 8
          i32.add
          local.get 3
          local.get 8
          i32.sub
          call 6
          return
        end
        local.get 8
        if ;; label = @3
          local.get 8
          i32.const 1
          i32.sub
          local.set 8
          br 1 (;@2;)
        end
      end
      local.get 2
      local.get 3
      return
    end
    local.get 6
    i32.const 3
    i32.eq
    if ;; label = @1
      loop ;; label = @2
        local.get 0
        local.get 1
        local.get 2
        local.get 7
        i32.add
        local.get 3
        local.get 7
        i32.sub
        call 11
        if ;; label = @3
          local.get 2
          local.get 7
          local.get 4
          local.get 5
          call 6
          return
        end
        local.get 7
        local.get 3
        i32.lt_u
        if ;; label = @3
          local.get 7
          i32.const 1
          i32.add
          local.set 7
          br 1 (;@2;)
        end
      end
      local.get 2
      local.get 3
      return
    end
    local.get 1
    i32.eqz
    if ;; label = @1
      local.get 2
      local.get 3
      return
    end
    block ;; label = @1
      loop ;; label = @2
        local.get 7
        local.get 3
        i32.gt_u
        br_if 1 (;@1;)
        local.get 7
        local.get 3
        i32.eq
        local.get 3
        i32.const 0
        i32.ne
        i32.and
        br_if 1 (;@1;)
        i32.const 0
        local.set 12
        local.get 3
        local.set 8
        block ;; label = @3
          loop ;; label = @4
            local.get 0
            local.get 1
            local.get 2
            local.get 7
            i32.add
            local.get 8
            local.get 7
            i32.sub
            call 11
            if ;; label = @5
              local.get 10
              local.get 11
              local.get 2
              local.get 9
              i32.add
              local.get 7
              local.get 9
              i32.sub
              call 6
              local.set 11
              local.set 10
              local.get 10
              local.get 11
              local.get 4
              local.get 5
              call 6
              local.set 11
              local.set 10
              local.get 8
              local.set 9
              i32.const 1
              local.set 12
              br 2 (;@3;)
            end
            local.get 8
            local.get 7
            i32.le_u
            br_if 1 (;@3;)
            local.get 8
            i32.const 1
            i32.sub
            local.set 8
            br 0 (;@4;)
          end
        end
        local.get 12
        if ;; label = @3
          local.get 6
          i32.eqz
          br_if 2 (;@1;)
          local.get 8
          local.get 7
          i32.const 1
          i32.add
          local.get 8
          local.get 7
          i32.gt_u
          select
          local.set 7
          br 1 (;@2;)
        end
        local.get 7
        i32.const 1
        i32.add
        local.set 7
        br 0 (;@2;)
      end
    end
    local.get 10
    local.get 11
    local.get 2
    local.get 9
    i32.add
    local.get 3
    local.get 9
    i32.sub
    call 6
    local.set 11
    local.set 10
    local.get 10
    local.get 11
  )
  (func (;16;) (type 11) (param i32 i32) (result i64 i32)
    (local i32 i32 i32 i32 i32 i32 i64 i32)
    local.get 1
    local.set 3
    block ;; label = @1
      loop ;; label = @2
        local.get 2
        local.get 3
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 2
        i32.add
        i32.load8_u
        local.set 4
        local.get 4
        i32.const 32
        i32.eq
        local.get 4
        i32.const 9
        i32.eq
        i32.or
        local.get 4
        i32.const 10
        i32.eq
        i32.or
        i32.eqz
        br_if 1 (;@1;)
        local.get 2
        i32.const 1
        i32.add
        local.set 2
        br 0 (;@2;)
      end
    end
    block ;; label = @1
      loop ;; label = @2
        local.get 3
        local.get 2
        i32.le_u
        br_if 1 (;@1;)
        local.get 0
        local.get 3
        i32.add
        i32.const 1
        i32.sub
        i32.load8_u
        local.set 4
        local.get 4
        i32.const 32
        i32.eq
        local.get 4
        i32.const 9
        i32.eq
        i32.or
        local.get 4
        i32.const 10
        i32.eq
        i32.or
        i32.eqz
        br_if 1 (;@1;)
        local.get 3
        i32.const 1
        i32.sub
        local.set 3
        br 0 (;@2;)
      end
    end
    local.get 2
    local.get 3
    i32.ge_u
    if ;; label = @1
      i64.const 0
      i32.const 2
      return
    end
    local.get 0
    local.get 2
    i32.add
    i32.load8_u
    local.set 4
    local.get 4
    i32.const 45
    i32.eq
    local.get 4
    i32.const 43
    i32.eq
    i32.or
    if ;; label = @1
      local.get 4
      i32.const 45
      i32.eq
      local.set 5
      local.get 2
      i32.const 1
      i32.add
      local.set 2
    end
    local.get 2
    local.get 3
    i32.ge_u
    if ;; label = @1
      i64.const 0
      i32.const 1
      return
    end
    i32.const 10
    local.set 6
    local.get 0
    local.get 2
    i32.add
    i32.load8_u
    i32.const 48
    i32.eq
    if ;; label = @1
      i32.const 8
      local.set 6
      local.get 2
      i32.const 1
      i32.add
      local.get 3
      i32.lt_u
      if ;; label = @2
        local.get 0
        local.get 2
        i32.add
        i32.load8_u offset=1
        i32.const 32
        i32.or
        i32.const 120
        i32.eq
        if ;; label = @3
          i32.const 16
          local.set 6
          local.get 2
          i32.const 2
          i32.add
          local.set 2
          local.get 2
          local.get 3
          i32.ge_u
          if ;; label = @4
            i64.const 0
            i32.const 1
            return
          end
        end
      end
    end
    block ;; label = @1
      loop ;; label = @2
        local.get 2
        local.get 3
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 2
        i32.add
        i32.load8_u
        local.set 4
        i32.const -1
        local.set 7
        local.get 4
        i32.const 48
        i32.sub
        i32.const 10
        i32.lt_u
        if ;; label = @3
          local.get 4
          i32.const 48
          i32.sub
          local.set 7
        end
        local.get 4
        i32.const 32
        i32.or
        i32.const 97
        i32.sub
        i32.const 6
        i32.lt_u
        local.get 6
        i32.const 16
        i32.eq
        i32.and
        if ;; label = @3
          local.get 4
          i32.const 32
          i32.or
          i32.const 87
          i32.sub
          local.set 7
        end
        local.get 7
        i32.const 0
        i32.lt_s
        if ;; label = @3
          i64.const 0
          i32.const 1
          return
        end
        local.get 7
        local.get 6
        i32.ge_u
        if ;; label = @3
          i32.const 1
          local.set 9
        end
        local.get 8
        local.get 6
        i64.extend_i32_u
        i64.mul
        local.get 7
        i64.extend_i32_u
        i64.add
        local.set 8
        local.get 2
        i32.const 1
        i32.add
        local.set 2
        br 0 (;@2;)
      end
    end
    local.get 9
    if ;; label = @1
      i64.const 0
      i32.const 3
      return
    end
    i64.const 0
    local.get 8
    i64.sub
    local.get 8
    local.get 5
    select
    i32.const 0
  )
  (func (;17;) (type 12) (param i64) (result i32 i32)
    (local i32 i32 i32 i64)
    i32.const 24
    i32.const 1
    call 4
    local.set 1
    i32.const 24
    local.set 2
    local.get 0
    i64.const 0
    i64.lt_s
    local.set 3
    i64.const 0
    local.get 0
    i64.sub
    local.get 0
    local.get 3
    select
    local.set 4
    loop ;; label = @1
      local.get 2
      i32.const 1
      i32.sub
      local.set 2
      local.get 1
      local.get 2
      i32.add
      local.get 4
      i64.const 10
      i64.rem_u
      i32.wrap_i64
      i32.const 48
      i32.add
      i32.store8
      local.get 4
      i64.const 10
      i64.div_u
      local.set 4
      local.get 4
      i64.eqz
      i32.eqz
      br_if 0 (;@1;)
    end
    local.get 3
    if ;; label = @1
      local.get 2
      i32.const 1
      i32.sub
      local.set 2
      local.get 1
      local.get 2
      i32.add
      i32.const 45
      i32.store8
    end
    local.get 1
    local.get 2
    i32.add
    i32.const 24
    local.get 2
    i32.sub
  )
  (func (;18;) (type 13) (param i64 i64) (result i64)
    (local i64)
    i64.const 1
    local.set 2
    block ;; label = @1
      loop ;; label = @2
        local.get 1
        i64.eqz
        br_if 1 (;@1;)
        local.get 1
        i64.const 1
        i64.and
        i32.wrap_i64
        if ;; label = @3
          local.get 2
          local.get 0
          i64.mul
          local.set 2
        end
        local.get 0
        local.get 0
        i64.mul
        local.set 0
        local.get 1
        i64.const 1
        i64.shr_u
        local.set 1
        br 0 (;@2;)
      end
    end
    local.get 2
  )
  (func (;19;) (type 14) (param i32 i32 i32 i32) (result i32 i32 i32 i32)
    (local i32 i32)
    local.get 2
    local.get 1
    i32.ge_u
    if ;; label = @1
      local.get 0
      local.get 1
      i32.add
      i32.const 0
      local.get 1
      i32.const 1
      return
    end
    local.get 2
    local.set 4
    block ;; label = @1
      loop ;; label = @2
        local.get 4
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 4
        i32.add
        i32.load8_u
        local.set 5
        local.get 5
        i32.const 10
        i32.eq
        br_if 1 (;@1;)
        local.get 5
        i32.const 92
        i32.eq
        local.get 3
        i32.eqz
        i32.and
        if ;; label = @3
          local.get 0
          local.get 2
          i32.add
          local.get 4
          local.get 2
          i32.sub
          local.get 4
          i32.const 2
          return
        end
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0 (;@2;)
      end
    end
    local.get 0
    local.get 2
    i32.add
    local.get 4
    local.get 2
    i32.sub
    local.get 4
    local.get 1
    i32.lt_u
    if (result i32) ;; label = @1
      local.get 4
      i32.const 1
      i32.add
    else
      local.get 1
    end
    local.get 4
    local.get 1
    i32.ge_u
  )
  (func (;20;) (type 15) (param i32 i32 i32 i32 i32) (result i32)
    (local i32 i32 i32)
    block ;; label = @1
      loop ;; label = @2
        local.get 2
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 2
        i32.add
        i32.load8_u
        local.set 5
        i32.const 0
        local.set 7
        i32.const 0
        local.set 6
        block ;; label = @3
          loop ;; label = @4
            local.get 6
            local.get 4
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            local.get 6
            i32.add
            i32.load8_u
            local.get 5
            i32.eq
            if ;; label = @5
              i32.const 2
              local.set 7
              local.get 5
              i32.const 32
              i32.eq
              local.get 5
              i32.const 9
              i32.eq
              i32.or
              local.get 5
              i32.const 10
              i32.eq
              i32.or
              if ;; label = @6
                i32.const 1
                local.set 7
              end
              br 2 (;@3;)
            end
            local.get 6
            i32.const 1
            i32.add
            local.set 6
            br 0 (;@4;)
          end
        end
        local.get 7
        i32.const 1
        i32.ne
        br_if 1 (;@1;)
        local.get 2
        i32.const 1
        i32.add
        local.set 2
        br 0 (;@2;)
      end
    end
    local.get 2
  )
  (func (;21;) (type 16) (param i32 i32 i32 i32 i32) (result i32 i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    local.get 2
    local.set 5
    block ;; label = @1
      loop ;; label = @2
        local.get 5
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 5
        i32.add
        i32.load8_u
        local.set 6
        i32.const 0
        local.set 8
        i32.const 0
        local.set 7
        block ;; label = @3
          loop ;; label = @4
            local.get 7
            local.get 4
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            local.get 7
            i32.add
            i32.load8_u
            local.get 6
            i32.eq
            if ;; label = @5
              i32.const 2
              local.set 8
              local.get 6
              i32.const 32
              i32.eq
              local.get 6
              i32.const 9
              i32.eq
              i32.or
              local.get 6
              i32.const 10
              i32.eq
              i32.or
              if ;; label = @6
                i32.const 1
                local.set 8
              end
              br 2 (;@3;)
            end
            local.get 7
            i32.const 1
            i32.add
            local.set 7
            br 0 (;@4;)
          end
        end
        local.get 8
        br_if 1 (;@1;)
        local.get 5
        i32.const 1
        i32.add
        local.set 5
        br 0 (;@2;)
      end
    end
    local.get 5
    local.set 9
    block ;; label = @1
      loop ;; label = @2
        local.get 5
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 5
        i32.add
        i32.load8_u
        local.set 10
        i32.const 0
        local.set 12
        i32.const 0
        local.set 11
        block ;; label = @3
          loop ;; label = @4
            local.get 11
            local.get 4
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            local.get 11
            i32.add
            i32.load8_u
            local.get 10
            i32.eq
            if ;; label = @5
              i32.const 2
              local.set 12
              local.get 10
              i32.const 32
              i32.eq
              local.get 10
              i32.const 9
              i32.eq
              i32.or
              local.get 10
              i32.const 10
              i32.eq
              i32.or
              if ;; label = @6
                i32.const 1
                local.set 12
              end
              br 2 (;@3;)
            end
            local.get 11
            i32.const 1
            i32.add
            local.set 11
            br 0 (;@4;)
          end
        end
        local.get 12
        i32.const 1
        i32.ne
        br_if 1 (;@1;)
        local.get 5
        i32.const 1
        i32.add
        local.set 5
        br 0 (;@2;)
      end
    end
    block ;; label = @1
      loop ;; label = @2
        local.get 5
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 5
        i32.add
        i32.load8_u
        local.set 13
        i32.const 0
        local.set 15
        i32.const 0
        local.set 14
        block ;; label = @3
          loop ;; label = @4
            local.get 14
            local.get 4
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            local.get 14
            i32.add
            i32.load8_u
            local.get 13
            i32.eq
            if ;; label = @5
              i32.const 2
              local.set 15
              local.get 13
              i32.const 32
              i32.eq
              local.get 13
              i32.const 9
              i32.eq
              i32.or
              local.get 13
              i32.const 10
              i32.eq
              i32.or
              if ;; label = @6
                i32.const 1
                local.set 15
              end
              br 2 (;@3;)
            end
            local.get 14
            i32.const 1
            i32.add
            local.set 14
            br 0 (;@4;)
          end
        end
        local.get 15
        i32.const 2
        i32.ne
        br_if 1 (;@1;)
        local.get 5
        i32.const 1
        i32.add
        local.set 5
      end
    end
    block ;; label = @1
      loop ;; label = @2
        local.get 5
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 0
        local.get 5
        i32.add
        i32.load8_u
        local.set 16
        i32.const 0
        local.set 18
        i32.const 0
        local.set 17
        block ;; label = @3
          loop ;; label = @4
            local.get 17
            local.get 4
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            local.get 17
            i32.add
            i32.load8_u
            local.get 16
            i32.eq
            if ;; label = @5
              i32.const 2
              local.set 18
              local.get 16
              i32.const 32
              i32.eq
              local.get 16
              i32.const 9
              i32.eq
              i32.or
              local.get 16
              i32.const 10
              i32.eq
              i32.or
              if ;; label = @6
                i32.const 1
                local.set 18
              end
              br 2 (;@3;)
            end
            local.get 17
            i32.const 1
            i32.add
            local.set 17
            br 0 (;@4;)
          end
        end
        local.get 18
        i32.const 1
        i32.ne
        br_if 1 (;@1;)
        local.get 5
        i32.const 1
        i32.add
        local.set 5
        br 0 (;@2;)
      end
    end
    local.get 0
    local.get 2
    i32.add
    local.get 9
    local.get 2
    i32.sub
    local.get 5
  )
  (func (;22;) (type 15) (param i32 i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32)
    local.get 1
    local.set 5
    block ;; label = @1
      loop ;; label = @2
        local.get 5
        local.get 2
        i32.le_u
        br_if 1 (;@1;)
        local.get 0
        local.get 5
        i32.add
        i32.const 1
        i32.sub
        i32.load8_u
        local.set 6
        i32.const 0
        local.set 8
        i32.const 0
        local.set 7
        block ;; label = @3
          loop ;; label = @4
            local.get 7
            local.get 4
            i32.ge_u
            br_if 1 (;@3;)
            local.get 3
            local.get 7
            i32.add
            i32.load8_u
            local.get 6
            i32.eq
            if ;; label = @5
              i32.const 2
              local.set 8
              local.get 6
              i32.const 32
              i32.eq
              local.get 6
              i32.const 9
              i32.eq
              i32.or
              local.get 6
              i32.const 10
              i32.eq
              i32.or
              if ;; label = @6
                i32.const 1
                local.set 8
              end
              br 2 (;@3;)
            end
            local.get 7
            i32.const 1
            i32.add
            local.set 7
            br 0 (;@4;)
          end
        end
        local.get 8
        i32.const 1
        i32.ne
        br_if 1 (;@1;)
        local.get 5
        i32.const 1
        i32.sub
        local.set 5
        br 0 (;@2;)
      end
    end
    local.get 5
  )
  (func (;23;) (type 17) (param i32 i32 i32) (result i32)
    (local i32 i32)
    block ;; label = @1
      loop ;; label = @2
        local.get 3
        local.get 1
        i32.ge_u
        local.get 4
        local.get 2
        i32.ge_u
        i32.or
        br_if 1 (;@1;)
        local.get 3
        i32.const 1
        i32.add
        local.set 3
        block ;; label = @3
          loop ;; label = @4
            local.get 3
            local.get 1
            i32.ge_u
            br_if 1 (;@3;)
            local.get 0
            local.get 3
            i32.add
            i32.load8_u
            i32.const 192
            i32.and
            i32.const 128
            i32.ne
            br_if 1 (;@3;)
            local.get 3
            i32.const 1
            i32.add
            local.set 3
            br 0 (;@4;)
          end
        end
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0 (;@2;)
      end
    end
    local.get 3
  )
  (func (;24;) (type 18) (param i32 i32 i32) (result i32 i32 i32)
    (local i32 i32 i32 i32 i32)
    local.get 1
    i32.const 1
    call 4
    local.set 3
    local.get 3
    local.get 0
    local.get 1
    memory.copy
    local.get 1
    local.set 7
    local.get 2
    i32.const 2
    i32.and
    i32.eqz
    local.get 1
    i32.const 0
    i32.ne
    i32.and
    if ;; label = @1
      i32.const 1
      local.set 7
    end
    block ;; label = @1
      loop ;; label = @2
        local.get 4
        local.get 7
        i32.ge_u
        br_if 1 (;@1;)
        local.get 3
        local.get 4
        i32.add
        i32.load8_u
        local.set 5
        local.get 5
        i32.const 128
        i32.ge_u
        if ;; label = @3
          i32.const 1
          local.set 6
        end
        local.get 2
        i32.const 1
        i32.and
        if ;; label = @3
          local.get 5
          i32.const 97
          i32.sub
          i32.const 26
          i32.lt_u
          if ;; label = @4
            local.get 3
            local.get 4
            i32.add
            local.get 5
            i32.const 32
            i32.sub
            i32.store8
          end
        else
          local.get 5
          i32.const 65
          i32.sub
          i32.const 26
          i32.lt_u
          if ;; label = @4
            local.get 3
            local.get 4
            i32.add
            local.get 5
            i32.const 32
            i32.add
            i32.store8
          end
        end
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0 (;@2;)
      end
    end
    local.get 3
    local.get 1
    local.get 6
  )
  (func (;25;) (type 19)
    (local i32 i32 i32 i32 i32 i32 i32)
    i32.const 32
    i32.const 5
    i32.const 37
    i32.const 5
    call 3
    block ;; label = @1
      i32.const 20
      i32.const 4
      call 4
      local.set 1
      local.get 1
      i32.const 73
      i32.store
      local.get 1
      i32.const 4
      i32.store offset=4
      local.get 1
      i32.const 0
      i32.store8 offset=8
      i32.const 64
      i32.const 4
      call 4
      local.set 2
      local.get 2
      i32.const 0
      i32.store
      local.get 2
      i32.const 0
      i32.store8 offset=4
      local.get 2
      i32.const 42
      i32.store offset=8
      local.get 2
      i32.const 3
      i32.store offset=12
      local.get 2
      i32.const 45
      i32.store offset=16
      local.get 2
      i32.const 28
      i32.store offset=20
      local.get 2
      i32.const 0
      i32.store offset=24
      local.get 2
      i32.const 0
      i32.store offset=28
      local.get 2
      i32.const 0
      i32.store8 offset=32
      local.get 2
      local.get 1
      i32.store offset=44
      local.get 2
      i32.const 1
      i32.store offset=48
      local.get 2
      i32.const 42
      i32.store offset=52
      local.get 2
      i32.const 0
      i32.store offset=56
      local.get 2
      i32.const 0
      i32.store8 offset=60
      local.get 2
      i32.const 0
      i32.store8 offset=61
      local.get 2
      i32.const 0
      i32.store8 offset=62
      local.get 2
      i32.const 0
      i32.store8 offset=63
      local.get 2
      i32.const 8
      call 0
      call 10
      local.set 4
      local.set 3
      local.set 0
      global.get 1
      if ;; label = @2
        return
      end
      local.get 0
      if ;; label = @2
        i32.const 77
        i32.const 4
        i32.const 81
        i32.const 1
        call 6
        local.set 6
        local.set 5
        local.get 5
        local.get 6
        i32.const 0
        i32.const 0
        call 1
        i32.const 0
        local.set 0
        global.get 3
        local.get 0
        i32.const 0
        i32.ne
        i32.and
        if ;; label = @3
          local.get 0
          global.set 2
          i32.const 1
          global.set 1
          return
        end
      end
    end
    i32.const 32
    i32.const 5
    local.get 0
    call 2
  )
  (func (;26;) (type 19)
    (local i32)
    call 25
    global.get 1
    if ;; label = @1
      return
    end
  )
  (func (;27;) (type 20) (result i32)
    call 26
    global.get 2
  )
  (data (;0;) (i32.const 32) "checkCheckGEThttp://127.0.0.1:8080/healthfailDOWN\0a")
)
