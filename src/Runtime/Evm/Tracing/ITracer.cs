using Jevm.Numerics;

namespace Jevm.Evm.Tracing;

/// <summary>
/// Receives the steps of execution (EIP-3155). Engines call it only when one was given, so tracing costs nothing when
/// off.
/// </summary>
public interface ITracer
{
    /// <summary>Called before each instruction executes, after nothing of it has been charged.</summary>
    /// <param name="pc">Program counter.</param>
    /// <param name="op">The opcode.</param>
    /// <param name="gas">Gas left before the instruction.</param>
    /// <param name="gasCost">The instruction's base cost from <see cref="OpcodeTable"/> (dynamic parts excluded).</param>
    /// <param name="memorySize">Memory size in bytes.</param>
    /// <param name="stack">The stack, bottom first.</param>
    /// <param name="depth">Call depth, 1 for the transaction's frame (as EIP-3155 counts).</param>
    /// <param name="refund">The frame's refund counter.</param>
    void OnStep(int pc, byte op, long gas, long gasCost, int memorySize, ReadOnlySpan<UInt256> stack, int depth, long refund);

    /// <summary>Called when a frame ends, with its result and depth (1-based).</summary>
    void OnFrameEnd(in ExecutionResult result, int depth);
}
