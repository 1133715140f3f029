using System.Runtime.CompilerServices;
using Jevm.Evm.Analysis;
using Jevm.Numerics;

namespace Jevm.Evm;

/// <summary>
/// The state of one executing frame that the instruction cores in <see cref="Instructions"/> work on: the
/// EVM stack, memory, return data, refund counter and the frame's inputs. The interpreter and the JIT share it.
/// </summary>
/// <remarks>
/// Frames are pooled per thread (<see cref="Rent"/>/<see cref="Return"/>) so that a frame costs no allocation in steady
/// state and little .NET stack: the 1024-item EVM stack lives on the heap. The stack pointer and the gas counter are
/// kept in locals by the engines and passed to instruction cores by <c>ref</c>; they are stored back into
/// <see cref="StackHeight"/> and <see cref="GasLeft"/> only when a frame ends.
/// </remarks>
public sealed class ExecutionFrame
{
    /// <summary>
    /// The EVM stack. Item <c>i</c> (1-based from the bottom) is at index <c>i</c>; index 0 is a guard slot so that a
    /// reference to the "top" of an empty stack stays inside the array.
    /// </summary>
    public readonly UInt256[] Stack = new UInt256[GasCosts.MaxStackHeight + 1];

    /// <summary>The frame's memory.</summary>
    public readonly EvmMemory Memory = new();

    /// <summary>Stack height when the frame ended (engines keep it in a local while running).</summary>
    public int StackHeight;

    /// <summary>Gas left when the frame ended (engines keep it in a local while running).</summary>
    public long GasLeft;

    /// <summary>The refund counter of this frame and its successful sub-frames (may go negative, EIP-2200).</summary>
    public long GasRefund;

    /// <summary>The output of the last sub-call or create (RETURNDATASIZE/RETURNDATACOPY, EIP-211).</summary>
    public byte[] ReturnData = [];

    /// <summary>The frame's own output (RETURN/REVERT data).</summary>
    public byte[] Output = [];

    /// <summary>The message that started the frame.</summary>
    public Message Message;

    /// <summary>The code being run.</summary>
    public ReadOnlyMemory<byte> Code;

    /// <summary>The code's valid jump destinations.</summary>
    public JumpDestMap JumpDests = null!;

    /// <summary>The host.</summary>
    public IEvmHost Host = null!;

    /// <summary>The fork whose rules apply.</summary>
    public Fork Fork;

    [ThreadStatic] private static Stack<ExecutionFrame>? t_pool;

    // Frames kept per thread.
    private const int PoolLimit = 64;

    // Frames of deeper call chains are kept process-wide, up to one full chain (~34 MB): a 1024-deep chain that
    // allocated ~1000 frames of 32 KiB on every execution made the GC walk a 1000-frame-deep stack every few levels,
    // which ran such chains at well under 1 MGas/s.
    private const int SharedPoolLimit = GasCosts.MaxCallDepth + 1;
    private static readonly Stack<ExecutionFrame> s_sharedPool = new();
    private static readonly Lock s_sharedPoolLock = new();

    /// <summary>Takes a cleared frame from this thread's pool (or the shared one, or makes one).</summary>
    public static ExecutionFrame Rent()
    {
        var pool = t_pool ??= new Stack<ExecutionFrame>();
        return pool.TryPop(out var f) ? f : RentShared();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ExecutionFrame RentShared()
    {
        lock (s_sharedPoolLock)
            if (s_sharedPool.TryPop(out var f)) return f;
        return new ExecutionFrame();
    }

    /// <summary>Clears a frame and gives it back to this thread's pool (or the shared one).</summary>
    public static void Return(ExecutionFrame frame)
    {
        frame.Reset();
        var pool = t_pool ??= new Stack<ExecutionFrame>();
        if (pool.Count < PoolLimit) pool.Push(frame);
        else ReturnShared(frame);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReturnShared(ExecutionFrame frame)
    {
        lock (s_sharedPoolLock)
            if (s_sharedPool.Count < SharedPoolLimit) s_sharedPool.Push(frame);
    }

    /// <summary>Prepares the frame to run <paramref name="code"/> for <paramref name="message"/>.</summary>
    public void Initialize(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, JumpDestMap jumpDests)
    {
        Host = host;
        Fork = fork;
        Message = message;
        Code = code;
        JumpDests = jumpDests;
        GasLeft = message.Gas;
        GasRefund = 0;
        StackHeight = 0;
        ReturnData = [];
        Output = [];
    }

    private void Reset()
    {
        Memory.Reset();
        Host = null!;
        JumpDests = null!;
        Code = default;
        Message = default;
        ReturnData = [];
        Output = [];
    }

    /// <summary>The stack slot of item <paramref name="height"/> (1-based; 0 is the guard slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref UInt256 StackSlot(int height) => ref Stack[height];
}
