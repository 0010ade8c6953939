// emu_fibers.cpp: runs a grid. Each block's threads are fibers, cooperatively scheduled on the launching OS thread;
// a fiber gives up the CPU only at a barrier (__syncthreads, a rendezvous of the block) or a warp operation (a
// rendezvous of the lanes in its mask), switching straight to the next fiber of the ready queue; the scheduler
// regains control only when the queue is empty (the block is done, or deadlocked). Blocks run one after another,
// so a launch is deterministic.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cuda_emu.h"
#include "emu_registry.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace emu {

ThreadState* current;
uint3 block_idx;
dim3 block_dim;
dim3 grid_dim;
unsigned char* dynamic_shared;

namespace {

// Small stacks (kernels keep little on the stack); AddressSanitizer's redzones need more.
#ifdef __SANITIZE_ADDRESS__
constexpr size_t StackSize = 256 * 1024;
#else
constexpr size_t StackSize = 64 * 1024;
#endif

enum State { Ready, AtBarrier, AtWarp, Finished, Failed };

struct Fiber {
    ThreadState ts;
    unsigned linear;  // thread index within the block, x fastest
    State state;
    void* sp;
    char* stack;      // lowest address, a guard page
    // The deposit of a warp operation.
    WarpOpKind kind;
    unsigned mask;
    unsigned long long bits;
    int arg, width;
    unsigned long long result;
    void* asan_fake_stack;
};

struct Warp {
    unsigned lanes;    // lanes that exist (32 but in a last, partial warp)
    unsigned arrived;  // lanes waiting at a warp operation
};

std::vector<Fiber*> fibers;  // reused across blocks and launches
Fiber* ready[1024];          // a ring: each fiber is in it at most once
unsigned ready_head, ready_count;
Fiber* running;
void* scheduler_sp;
KernelBody body;
void* body_args;
unsigned threads_per_block;
unsigned barrier_arrived;
unsigned finished;
Warp warps[32];
bool failed;
std::string error;

} // namespace
} // namespace emu

// Switches stacks: saves the callee-saved registers and rsp of the caller in *save, resumes `to`. (System V x86-64;
// ucontext would also save the signal mask with a system call, 14x slower.)
extern "C" __attribute__((visibility("hidden"))) void tensor_emu_switch(void** save, void* to);
asm(R"(
    .text
    .globl tensor_emu_switch
    .hidden tensor_emu_switch
    .type tensor_emu_switch, @function
tensor_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size tensor_emu_switch, .-tensor_emu_switch
)");

namespace emu {
namespace {

void make_ready(Fiber* f) {
    f->state = Ready;
    ready[(ready_head + ready_count++) % 1024] = f;
}

Fiber* next_ready() {
    if (ready_count == 0) return nullptr;
    Fiber* f = ready[ready_head];
    ready_head = (ready_head + 1) % 1024;
    ready_count--;
    return f;
}

#ifdef __SANITIZE_ADDRESS__
// ASan must be told of every stack switch; the scheduler's stack is learnt when a fiber is entered from it.
const void* main_stack_bottom;
size_t main_stack_size;
bool from_scheduler;

void arrived(void* fake) {
    const void* bottom;
    size_t size;
    __sanitizer_finish_switch_fiber(fake, &bottom, &size);
    if (from_scheduler) {
        main_stack_bottom = bottom;
        main_stack_size = size;
        from_scheduler = false;
    }
}
#endif

// Fiber f has blocked, finished or failed: run the next ready fiber, or go back to the scheduler.
void switch_from(Fiber* f) {
    Fiber* next = failed ? nullptr : next_ready();
#ifdef __SANITIZE_ADDRESS__
    if (next) __sanitizer_start_switch_fiber(&f->asan_fake_stack, next->stack + getpagesize(), StackSize);
    else __sanitizer_start_switch_fiber(&f->asan_fake_stack, main_stack_bottom, main_stack_size);
#endif
    if (next) {
        running = next;
        current = &next->ts;
        tensor_emu_switch(&f->sp, next->sp);
    } else {
        tensor_emu_switch(&f->sp, scheduler_sp);
    }
#ifdef __SANITIZE_ADDRESS__
    arrived(f->asan_fake_stack);
#endif
}

// Scheduler -> the first ready fiber; returns when the ready queue is empty.
void run_ready() {
    Fiber* f = next_ready();
    if (!f) return;
    running = f;
    current = &f->ts;
#ifdef __SANITIZE_ADDRESS__
    void* fake = nullptr;
    from_scheduler = true;
    __sanitizer_start_switch_fiber(&fake, f->stack + getpagesize(), StackSize);
    tensor_emu_switch(&scheduler_sp, f->sp);
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#else
    tensor_emu_switch(&scheduler_sp, f->sp);
#endif
}

[[noreturn]] void fiber_main() {
#ifdef __SANITIZE_ADDRESS__
    arrived(nullptr);
#endif
    for (;;) {
        Fiber* f = running;
        body(body_args);
        f->state = Finished;
        ++finished;
        switch_from(f);
    }
}

// A fresh frame whose `ret` enters fiber_main with the stack aligned as after a call.
void reset_stack(Fiber* f) {
    size_t page = (size_t)getpagesize();
#ifdef __SANITIZE_ADDRESS__
    __asan_unpoison_memory_region(f->stack + page, StackSize);
#endif
    void** sp = (void**)(((uintptr_t)(f->stack + page + StackSize)) & ~(uintptr_t)15);
    *--sp = nullptr;                      // fiber_main's return address: it never returns
    *--sp = (void*)&fiber_main;           // 16-byte aligned slot
    for (int i = 0; i < 6; i++) *--sp = nullptr;  // rbp rbx r12-r15
    f->sp = sp;
}

bool ensure_fibers(unsigned n) {
    size_t page = (size_t)getpagesize();
    while (fibers.size() < n) {
        void* mem = mmap(nullptr, StackSize + page, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (mem == MAP_FAILED) return false;
        mprotect(mem, page, PROT_NONE);  // guard page: an overflow faults instead of corrupting a neighbour
        Fiber* f = new Fiber();
        f->stack = (char*)mem;
        reset_stack(f);
        fibers.push_back(f);
    }
    return true;
}

std::string where(const Fiber* f) {
    char buf[160];
    snprintf(buf, sizeof buf, "block (%u,%u,%u) thread (%u,%u,%u)", block_idx.x, block_idx.y, block_idx.z,
             f->ts.tid.x, f->ts.tid.y, f->ts.tid.z);
    return buf;
}

// Ends the launch from inside a fiber: the scheduler sees `failed` and never resumes it.
[[noreturn]] void fail(Fiber* f, const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    error = where(f) + ": " + buf;
    failed = true;
    f->state = Failed;
    switch_from(f);
    __builtin_unreachable();
}

const char* op_name(WarpOpKind k) {
    static const char* names[] = {"__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync",
                                  "__ballot_sync", "__syncwarp"};
    return names[k];
}

// Every lane of the group has arrived: compute each lane's result from its own deposit.
void complete_warp(Fiber* self, unsigned base, unsigned mask) {
    unsigned ballot = 0;
    for (unsigned l = 0; l < 32; l++)
        if (mask >> l & 1) {
            Fiber* g = fibers[base + l];
            if (g->mask != mask || g->kind != self->kind)
                fail(self, "lanes of one warp met at different warp operations: lane %u at %s(mask 0x%08x), lane %u "
                           "at %s(mask 0x%08x); every lane in the mask must call the same intrinsic with the same mask",
                     self->linear % 32, op_name(self->kind), self->mask, l, op_name(g->kind), g->mask);
            ballot |= (unsigned)(g->bits & 1) << l;
        }
    for (unsigned l = 0; l < 32; l++) {
        if (!(mask >> l & 1)) continue;
        Fiber* g = fibers[base + l];
        unsigned w = (unsigned)g->width, seg = l & ~(w - 1), local = l & (w - 1), src = l;
        switch (g->kind) {
        case ShflIdx: src = seg + ((unsigned)g->arg & (w - 1)); break;
        case ShflUp: src = local >= (unsigned)g->arg ? l - (unsigned)g->arg : l; break;
        case ShflDown: src = local + (unsigned)g->arg < w ? l + (unsigned)g->arg : l; break;
        case ShflXor: src = l ^ (unsigned)g->arg; if (src < seg || src >= seg + w) src = l; break;
        default: break;
        }
        if (g->kind == Ballot) g->result = ballot;
        else if (g->kind == SyncWarp) g->result = 0;
        else {
            if (!(mask >> src & 1))
                fail(g, "%s reads lane %u, which is not in the mask 0x%08x", op_name(g->kind), src, mask);
            g->result = fibers[base + src]->bits;
        }
        if (g != self) make_ready(g);
    }
}

} // namespace

void syncthreads_rendezvous() {
    Fiber* f = running;
    if (++barrier_arrived == threads_per_block) {
        // The last thread to arrive releases the others and goes on without a switch.
        barrier_arrived = 0;
        for (unsigned t = 0; t < threads_per_block; t++)
            if (fibers[t]->state == AtBarrier) make_ready(fibers[t]);
        return;
    }
    f->state = AtBarrier;
    switch_from(f);
}

unsigned long long warp_rendezvous(WarpOpKind kind, unsigned mask, unsigned long long bits, int arg, int width) {
    Fiber* f = running;
    unsigned lane = f->linear % 32, base = f->linear - lane;
    Warp& w = warps[f->linear / 32];
    if (width < 1 || width > 32 || (width & (width - 1)) != 0)
        fail(f, "%s width %d: must be a power of two from 1 to 32", op_name(kind), width);
    if (!(mask >> lane & 1))
        fail(f, "%s with mask 0x%08x called by lane %u, which is not in the mask", op_name(kind), mask, lane);
    if (w.lanes < 32 && (mask >> w.lanes) != 0)
        fail(f, "%s with mask 0x%08x in a partial warp of %u lanes (block of %u threads): the mask names lanes "
                "that do not exist", op_name(kind), mask, w.lanes, threads_per_block);
    f->kind = kind;
    f->mask = mask;
    f->bits = bits;
    f->arg = arg;
    f->width = width;
    w.arrived |= 1u << lane;
    if ((w.arrived & mask) == mask) {
        w.arrived &= ~mask;
        complete_warp(f, base, mask);
        return f->result;
    }
    f->state = AtWarp;
    switch_from(f);
    return f->result;
}

int run_grid(KernelBody kernel, void* args) {
    unsigned n = block_dim.x * block_dim.y * block_dim.z;
    if (!ensure_fibers(n)) {
        fprintf(stderr, "tensor-cuda-emulation: cannot map the stacks of %u fibers\n", n);
        return 2;  // CUDA_ERROR_OUT_OF_MEMORY
    }
    body = kernel;
    body_args = args;
    threads_per_block = n;
    failed = false;
    for (unsigned bz = 0; bz < grid_dim.z; bz++)
        for (unsigned by = 0; by < grid_dim.y; by++)
            for (unsigned bx = 0; bx < grid_dim.x; bx++) {
                block_idx = {bx, by, bz};
                ready_head = ready_count = 0;
                for (unsigned t = 0; t < n; t++) {
                    Fiber* f = fibers[t];
                    f->ts.tid = {t % block_dim.x, t / block_dim.x % block_dim.y, t / (block_dim.x * block_dim.y)};
                    f->linear = t;
                    make_ready(f);
                }
                for (unsigned w = 0; w * 32 < n; w++) warps[w] = {n - w * 32 < 32 ? n - w * 32 : 32, 0};
                barrier_arrived = 0;
                finished = 0;
                run_ready();
                if (finished < n && !failed) {
                    // The queue ran dry with fibers still waiting: nothing can wake them.
                    unsigned at_barrier = 0, at_warp = 0;
                    for (unsigned t = 0; t < n; t++) {
                        at_barrier += fibers[t]->state == AtBarrier;
                        at_warp += fibers[t]->state == AtWarp;
                    }
                    char buf[320];
                    snprintf(buf, sizeof buf, "block (%u,%u,%u): deadlock: of %u threads, %u wait at __syncthreads, "
                             "%u wait at a warp operation, %u have finished; a barrier must be reached by every "
                             "thread of the block (every lane of the mask for a warp operation)",
                             bx, by, bz, n, at_barrier, at_warp, finished);
                    error = buf;
                    failed = true;
                }
                if (failed) {
                    // Abandoned fibers restart from a fresh frame next time.
                    for (unsigned t = 0; t < n; t++)
                        if (fibers[t]->state != Finished) reset_stack(fibers[t]);
                    fprintf(stderr, "tensor-cuda-emulation: kernel failed: %s\n", error.c_str());
                    return 719;  // CUDA_ERROR_LAUNCH_FAILED
                }
            }
    return 0;
}

} // namespace emu
