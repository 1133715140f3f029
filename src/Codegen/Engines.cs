using Jevm.Evm;
using Jevm.Evm.Tracing;

namespace Jevm.Codegen;

/// <summary>Creates execution engines by kind: the one place that knows which engines exist.</summary>
public static class Engines
{
    /// <summary>
    /// An engine of <paramref name="kind"/>, reporting steps to <paramref name="tracer"/> when given (a traced
    /// <see cref="EngineKind.Jit"/> or <see cref="EngineKind.Tiered"/> frame runs in the interpreter: EIP-3155 traces
    /// need per-instruction gas). A tiered engine compiles by <paramref name="tiering"/> (default:
    /// <see cref="TieringPolicy.Default"/>).
    /// </summary>
    public static IExecutionEngine Create(EngineKind kind, ITracer? tracer = null, TieringPolicy? tiering = null) => kind switch
    {
        EngineKind.Interpreter => new Interpreter(tracer),
        EngineKind.Jit => new JitEngine(tiered: false, tracer),
        EngineKind.Tiered => new JitEngine(tiered: true, tracer, tiering: tiering),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown engine kind"),
    };

    /// <summary>True when <see cref="Create"/> can make an engine of <paramref name="kind"/>.</summary>
    public static bool IsAvailable(EngineKind kind) => kind is EngineKind.Interpreter or EngineKind.Jit or EngineKind.Tiered;
}
