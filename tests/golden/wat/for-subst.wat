(module
  (type (;0;) (func (param i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32) (result i32)))
  (type (;5;) (func (param i32 i32 i32 i32) (result i32 i32)))
  (type (;6;) (func (param i32 i32) (result i32 i32)))
  (type (;7;) (func (result i32 i32 i32)))
  (type (;8;) (func))
  (type (;9;) (func (result i32)))
  (import "playbook:host/docker@0.2.0" "call" (func (;0;) (type 0) (param i32 i32)))
  (import "playbook:host/fs@0.2.0" "call" (func (;1;) (type 0) (param i32 i32)))
  (import "playbook:host/operator@0.2.0" "print" (func (;2;) (type 1) (param i32 i32 i32 i32)))
  (import "playbook:host/operator@0.2.0" "step-end" (func (;3;) (type 2) (param i32 i32 i32)))
  (import "playbook:host/operator@0.2.0" "step-start" (func (;4;) (type 3) (param i32 i32 i32 i32) (result i32)))
  (memory (;0;) 1)
  (global (;0;) (mut i32) i32.const 96)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (global (;5;) (mut i32) i32.const 0)
  (global (;6;) (mut i32) i32.const 0)
  (global (;7;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "cabi_realloc" (func 6))
  (export "run" (func 14))
  (func (;5;) (type 4) (param i32 i32) (result i32)
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
  (func (;6;) (type 3) (param i32 i32 i32 i32) (result i32)
    (local i32)
    local.get 3
    local.get 2
    call 5
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
  (func (;7;) (type 5) (param i32 i32 i32 i32) (result i32 i32)
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
    call 5
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
  (func (;8;) (type 6) (param i32 i32) (result i32 i32)
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
    call 5
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
  (func (;9;) (type 6) (param i32 i32) (result i32 i32)
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
  (func (;10;) (type 7) (result i32 i32 i32)
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
  (func (;11;) (type 8)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    i32.const 40
    i32.const 4
    i32.const 44
    i32.const 4
    call 4
    i32.eqz
    if ;; label = @1
      return
    end
    block ;; label = @1
      i32.const 0
      local.set 2
      i32.const 0
      local.set 3
      global.get 3
      local.set 4
      global.get 4
      local.set 5
      global.get 5
      local.set 6
      i32.const 0
      global.set 3
      block ;; label = @2
        i32.const 8
        i32.const 4
        call 5
        local.set 7
        local.get 7
        i32.const 48
        i32.store
        local.get 7
        i32.const 7
        i32.store offset=4
        i32.const 56
        i32.const 4
        call 5
        local.set 8
        local.get 8
        i32.const 0
        i32.store
        local.get 8
        i32.const 0
        i32.store8 offset=4
        local.get 8
        i32.const 0
        i32.store8 offset=5
        local.get 8
        local.get 7
        i32.store offset=8
        local.get 8
        i32.const 1
        i32.store offset=12
        local.get 8
        i32.const 0
        i32.store8 offset=16
        local.get 8
        i32.const 0
        i32.store offset=28
        local.get 8
        i32.const 0
        i32.store offset=32
        local.get 8
        i32.const 48
        i32.store offset=36
        local.get 8
        i32.const 0
        i32.store offset=40
        local.get 8
        i32.const 1
        i32.store8 offset=44
        local.get 8
        i32.const 0
        i32.store8 offset=45
        local.get 8
        i32.const 0
        i32.store8 offset=46
        local.get 8
        i32.const 0
        i32.store8 offset=47
        local.get 8
        i32.const 0
        i32.store offset=48
        local.get 8
        i32.const 0
        i32.store offset=52
        local.get 8
        i32.const 8
        call 1
        call 10
        local.set 10
        local.set 9
        local.set 0
        global.get 1
        if ;; label = @3
          return
        end
        local.get 2
        local.get 3
        local.get 9
        local.get 10
        call 7
        local.set 3
        local.set 2
        global.get 3
        local.get 0
        i32.const 0
        i32.ne
        i32.and
        if ;; label = @3
          br 1 (;@2;)
        end
      end
      i32.const 0
      local.set 1
      local.get 4
      global.set 3
      local.get 5
      global.set 4
      local.get 6
      global.set 5
      local.get 2
      local.get 3
      call 9
      local.set 12
      local.set 11
      local.get 11
      local.get 12
      call 8
      local.set 14
      local.set 13
      i32.const 0
      local.set 16
      local.get 16
      local.get 14
      i32.add
      local.set 16
      local.get 16
      i32.const 8
      i32.mul
      i32.const 4
      call 5
      local.set 15
      i32.const 0
      local.set 17
      local.get 15
      local.get 17
      i32.const 8
      i32.mul
      i32.add
      local.get 13
      local.get 14
      i32.const 8
      i32.mul
      memory.copy
      local.get 17
      local.get 14
      i32.add
      local.set 17
      i32.const 0
      local.set 18
      i32.const 0
      local.set 0
      i32.const 0
      local.set 19
      block ;; label = @2
        loop ;; label = @3
          local.get 18
          local.get 16
          i32.ge_u
          br_if 1 (;@2;)
          local.get 15
          local.get 18
          i32.const 8
          i32.mul
          i32.add
          i32.load
          local.set 20
          local.get 15
          local.get 18
          i32.const 8
          i32.mul
          i32.add
          i32.load offset=4
          local.set 21
          local.get 20
          i32.const 48
          local.get 20
          select
          local.set 22
          i32.const 32
          local.get 22
          i32.store
          i32.const 32
          local.get 21
          i32.store offset=4
          block ;; label = @4
            i32.const 32
            i32.load
            local.set 23
            i32.const 32
            i32.load offset=4
            local.set 24
            global.get 5
            local.get 23
            i32.eqz
            i32.and
            if ;; label = @5
              i32.const 55
              i32.const 26
              i32.const 1
              i32.const 0
              call 2
              i32.const 1
              i32.const 127
              global.get 3
              select
              local.set 25
              local.get 25
              global.set 2
              i32.const 1
              global.set 1
              return
            end
            i32.const 8
            i32.const 4
            call 5
            local.set 26
            local.get 26
            local.get 23
            i32.store
            local.get 26
            local.get 24
            i32.store offset=4
            i32.const 108
            i32.const 4
            call 5
            local.set 27
            local.get 27
            i32.const 1
            i32.store
            local.get 27
            i32.const 6
            i32.store8 offset=4
            local.get 27
            local.get 26
            i32.store offset=8
            local.get 27
            i32.const 1
            i32.store offset=12
            local.get 27
            i32.const 0
            i32.store offset=16
            local.get 27
            i32.const 0
            i32.store offset=20
            local.get 27
            i32.const 0
            i32.store8 offset=24
            local.get 27
            i32.const 0
            i32.store offset=36
            local.get 27
            i32.const 0
            i32.store offset=40
            local.get 27
            i32.const 0
            i32.store8 offset=44
            local.get 27
            i32.const 0
            i32.store8 offset=56
            local.get 27
            i32.const 0
            i32.store offset=68
            local.get 27
            i32.const 0
            i32.store offset=72
            local.get 27
            i32.const 0
            i32.store8 offset=76
            local.get 27
            i32.const 0
            i32.store8 offset=84
            local.get 27
            i32.const 48
            i32.store offset=88
            local.get 27
            i32.const 0
            i32.store offset=92
            local.get 27
            i32.const 0
            i32.store8 offset=96
            local.get 27
            i32.const 0
            i32.store8 offset=97
            local.get 27
            i32.const 0
            i32.store8 offset=98
            local.get 27
            i32.const 0
            i32.store8 offset=99
            local.get 27
            i32.const 0
            i32.store offset=100
            local.get 27
            i32.const 0
            i32.store offset=104
            local.get 27
            i32.const 8
            call 0
            call 10
            local.set 29
            local.set 28
            local.set 0
            global.get 1
            if ;; label = @5
              return
            end
            global.get 3
            local.get 0
            i32.const 0
            i32.ne
            i32.and
            if ;; label = @5
              local.get 0
              global.set 2
              i32.const 1
              global.set 1
              return
            end
          end
          local.get 18
          i32.const 1
          i32.add
          local.set 18
          br 0 (;@3;)
        end
      end
    end
    i32.const 0
    local.set 1
    i32.const 40
    i32.const 4
    local.get 0
    call 3
    local.get 0
    global.set 7
  )
  (func (;12;) (type 8)
    (local i32 i32)
    call 11
    global.get 1
    if ;; label = @1
      return
    end
  )
  (func (;13;) (type 8)
    (local i32 i32)
  )
  (func (;14;) (type 9) (result i32)
    call 12
    call 13
    global.get 2
  )
  (data (;0;) (i32.const 40) "eachEachids.txtbash: m: unbound variable\0a")
)
