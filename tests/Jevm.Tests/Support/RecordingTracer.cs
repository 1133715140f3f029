using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Numerics;

namespace Jevm.Tests.Support;

/// <summary>Keeps every traced step in memory.</summary>
public sealed class RecordingTracer : ITracer
{
    public sealed record Step(int Pc, byte Op, long Gas, long GasCost, int MemorySize, UInt256[] Stack, int Depth, long Refund);

    public List<Step> Steps { get; } = new();
    public List<(StatusCode Status, int Depth)> FrameEnds { get; } = new();

    public void OnStep(int pc, byte op, long gas, long gasCost, int memorySize, ReadOnlySpan<UInt256> stack, int depth, long refund)
        => Steps.Add(new Step(pc, op, gas, gasCost, memorySize, stack.ToArray(), depth, refund));

    public void OnFrameEnd(in ExecutionResult result, int depth) => FrameEnds.Add((result.Status, depth));
}
