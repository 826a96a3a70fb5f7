(module
  (type (;0;) (func (param i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32) (result i32)))
  (type (;5;) (func (param i32 i32 i32 i32) (result i32 i32)))
  (type (;6;) (func (result i32 i32 i32)))
  (type (;7;) (func))
  (type (;8;) (func (result i32)))
  (import "playbook:host/http@0.2.0" "send" (func (;0;) (type 0) (param i32 i32)))
  (import "playbook:host/operator@0.2.0" "print" (func (;1;) (type 1) (param i32 i32 i32 i32)))
  (import "playbook:host/operator@0.2.0" "step-end" (func (;2;) (type 2) (param i32 i32 i32)))
  (import "playbook:host/operator@0.2.0" "step-start" (func (;3;) (type 3) (param i32 i32 i32 i32) (result i32)))
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
  (export "cabi_realloc" (func 5))
  (export "run" (func 11))
  (func (;4;) (type 4) (param i32 i32) (result i32)
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
  (func (;5;) (type 3) (param i32 i32 i32 i32) (result i32)
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
  (func (;7;) (type 6) (result i32 i32 i32)
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
  (func (;8;) (type 7)
    (local i32 i32 i32 i32 i32 i32 i32 i32)
    i32.const 32
    i32.const 5
    i32.const 37
    i32.const 5
    call 3
    i32.eqz
    if ;; label = @1
      return
    end
    block ;; label = @1
      i32.const 20
      i32.const 4
      call 4
      local.set 2
      local.get 2
      i32.const 73
      i32.store
      local.get 2
      i32.const 4
      i32.store offset=4
      local.get 2
      i32.const 0
      i32.store8 offset=8
      i32.const 72
      i32.const 4
      call 4
      local.set 3
      local.get 3
      i32.const 0
      i32.store
      local.get 3
      i32.const 0
      i32.store8 offset=4
      local.get 3
      i32.const 42
      i32.store offset=8
      local.get 3
      i32.const 3
      i32.store offset=12
      local.get 3
      i32.const 45
      i32.store offset=16
      local.get 3
      i32.const 28
      i32.store offset=20
      local.get 3
      i32.const 0
      i32.store offset=24
      local.get 3
      i32.const 0
      i32.store offset=28
      local.get 3
      i32.const 0
      i32.store8 offset=32
      local.get 3
      local.get 2
      i32.store offset=44
      local.get 3
      i32.const 1
      i32.store offset=48
      local.get 3
      i32.const 42
      i32.store offset=52
      local.get 3
      i32.const 0
      i32.store offset=56
      local.get 3
      i32.const 0
      i32.store8 offset=60
      local.get 3
      i32.const 0
      i32.store8 offset=61
      local.get 3
      i32.const 0
      i32.store8 offset=62
      local.get 3
      i32.const 0
      i32.store8 offset=63
      local.get 3
      i32.const 0
      i32.store offset=64
      local.get 3
      i32.const 0
      i32.store offset=68
      local.get 3
      i32.const 8
      call 0
      call 7
      local.set 5
      local.set 4
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
        local.set 7
        local.set 6
        local.get 6
        local.get 7
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
    i32.const 0
    local.set 1
    i32.const 32
    i32.const 5
    local.get 0
    call 2
    local.get 0
    global.set 7
  )
  (func (;9;) (type 7)
    (local i32 i32)
    call 8
    global.get 1
    if ;; label = @1
      return
    end
  )
  (func (;10;) (type 7)
    (local i32 i32)
  )
  (func (;11;) (type 8) (result i32)
    call 9
    call 10
    global.get 2
  )
  (data (;0;) (i32.const 32) "checkCheckGEThttp://127.0.0.1:8080/healthfailDOWN\0a")
)
