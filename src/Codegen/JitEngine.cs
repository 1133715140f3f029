using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Primitives;

namespace Jevm.Codegen;

/// <summary>
/// Runs frames as compiled code. <see cref="EngineKind.Jit"/> compiles every code on first use;
/// <see cref="EngineKind.Tiered"/> interprets a code until it is hot (<see cref="HotExecutions"/> runs or
/// <see cref="HotGas"/> gas), compiles it in the background and switches over on a later call. Code that cannot be
/// compiled, and every traced run (traces need the exact per-instruction gas), use the interpreter.
/// </summary>
public sealed class JitEngine : IExecutionEngine
{
    /// <summary>Executions after which tiered mode compiles a code.</summary>
    public const int HotExecutions = 8;

    /// <summary>Gas spent in a code after which tiered mode compiles it.</summary>
    public const long HotGas = 200_000;

    // Cold codes whose executions tiered mode counts at most (then it starts counting afresh).
    private const int MaxTrackedCodes = 65_536;

    private readonly Interpreter _interpreter;
    private readonly ITracer? _tracer;
    private readonly bool _tiered;
    private readonly CompiledCodeCache _cache;
    private readonly JitOptions _options;
    private readonly ConcurrentDictionary<(Hash256, Fork), Heat> _heat = new();

    private sealed class Heat
    {
        public int Executions;
        public long Gas;
        public int Queued;
    }

    /// <summary>Creates a JIT engine (<paramref name="tiered"/>: compile only hot code, in the background).</summary>
    public JitEngine(bool tiered = false, ITracer? tracer = null, CompiledCodeCache? cache = null, JitOptions? options = null)
    {
        _tiered = tiered;
        _tracer = tracer;
        _interpreter = new Interpreter(tracer);
        _cache = cache ?? CompiledCodeCache.Shared;
        _options = options ?? JitOptions.Default;
    }

    /// <inheritdoc/>
    public string Name => _tiered ? "tiered" : "jit";

    /// <summary>The cache this engine compiles into.</summary>
    public CompiledCodeCache Cache => _cache;

    /// <summary>Why the last code this thread wanted compiled could not be (null when it compiled).</summary>
    [field: ThreadStatic]
    public static string? LastFailureReason { get; private set; }

    /// <inheritdoc/>
    public ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash)
    {
        if (_tracer is not null || code.IsEmpty) return _interpreter.Execute(host, fork, message, code, codeHash);
        // A deep call chain goes on on a thread with a large stack (see SizedStackThread).
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) return SizedStackThread.Execute(this, host, fork, message, code, codeHash);
        // Init code comes without a hash; key it by its own.
        var key = codeHash == Hash256.Zero ? Keccak256.Compute(code.Span) : codeHash;
        var compiled = _tiered ? Tiered(code, key, fork, message.Gas) : Compile(code, key, fork);
        if (compiled is null) return _interpreter.Execute(host, fork, message, code, codeHash);
        return Run(compiled, host, fork, message, code);
    }

    private CompiledContract? Compile(ReadOnlyMemory<byte> code, in Hash256 key, Fork fork)
    {
        var entry = _cache.GetOrCompile(code.Span, key, fork, _options);
        LastFailureReason = entry.FailureReason;
        return entry.Code;
    }

    private CompiledContract? Tiered(ReadOnlyMemory<byte> code, in Hash256 key, Fork fork, long gas)
    {
        if (_cache.TryGet(key, fork) is { } entry) return entry.Code;
        // Bounded: counts of codes that never got hot are forgotten wholesale.
        if (_heat.Count > MaxTrackedCodes) _heat.Clear();
        var heat = _heat.GetOrAdd((key, fork), static _ => new Heat());
        int runs = Interlocked.Increment(ref heat.Executions);
        long spent = Interlocked.Add(ref heat.Gas, gas);
        if ((runs >= HotExecutions || spent >= HotGas) && Interlocked.Exchange(ref heat.Queued, 1) == 0)
        {
            // Copy the code: the caller's memory may be reused once this frame ends.
            var copy = code.ToArray();
            var cache = _cache;
            var options = _options;
            var heatTable = _heat;
            var hash = key;
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                cache.Add(hash, fork, CompiledCodeCache.Compile(copy, hash, fork, options));
                heatTable.TryRemove((hash, fork), out Heat? _);
            }, null);
        }
        return null;
    }

    private static ExecutionResult Run(CompiledContract compiled, IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code)
    {
        var frame = ExecutionFrame.Rent();
        try
        {
            frame.Initialize(host, fork, message, code, compiled.JumpDests);
            var status = compiled.Run(frame);
            return status switch
            {
                StatusCode.Success => new() { Status = status, GasLeft = frame.GasLeft, GasRefund = frame.GasRefund, Output = frame.Output },
                StatusCode.Revert => new() { Status = status, GasLeft = frame.GasLeft, Output = frame.Output },
                _ => ExecutionResult.Failure(status),
            };
        }
        finally
        {
            ExecutionFrame.Return(frame);
        }
    }
}
