using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Primitives;

namespace Jevm.Codegen;

/// <summary>When tiered mode compiles a code: once the gas spent running it, interpreted, pays for the compilation.</summary>
public sealed record TieringPolicy
{
    /// <summary>
    /// Gas a code must have spent (over all its interpreted executions) per byte of its length before it is
    /// compiled. Compiling costs in proportion to the code's length (tens of microseconds per byte, the .NET JIT
    /// included), and saves in proportion to the gas run (a fraction of a nanosecond per unit): a small code called
    /// with little gas is not worth compiling, a hot loop is after one call.
    /// </summary>
    public long GasPerCodeByte { get; init; } = 10_000;

    /// <summary>Gas spent below which no code is compiled, however short.</summary>
    public long MinimumGas { get; init; } = 200_000;

    /// <summary>Executions after which a code is compiled whatever gas it spent (0: never by count; tests use it).</summary>
    public int HotExecutions { get; init; }

    /// <summary>The default: by gas only.</summary>
    public static TieringPolicy Default { get; } = new();

    /// <summary>True when a code of <paramref name="codeLength"/> bytes that ran <paramref name="executions"/> times, spending <paramref name="gas"/>, is worth compiling.</summary>
    public bool IsHot(int codeLength, int executions, long gas) =>
        (HotExecutions > 0 && executions >= HotExecutions) || gas >= Math.Max(MinimumGas, GasPerCodeByte * codeLength);
}

/// <summary>
/// Runs frames as compiled code. <see cref="EngineKind.Jit"/> compiles every code on first use;
/// <see cref="EngineKind.Tiered"/> interprets a code until it is hot (see <see cref="TieringPolicy"/>), compiles it in
/// the background and switches over on a later call. Code that cannot be compiled, and every traced run (traces need
/// the exact per-instruction gas), use the interpreter.
/// </summary>
public sealed class JitEngine : IExecutionEngine
{
    // Cold codes whose executions tiered mode counts at most (then it starts counting afresh).
    private const int MaxTrackedCodes = 65_536;

    private readonly Interpreter _interpreter;
    private readonly ITracer? _tracer;
    private readonly bool _tiered;
    private readonly CompiledCodeCache _cache;
    private readonly JitOptions _options;
    private readonly TieringPolicy _tiering;
    private readonly ConcurrentDictionary<(Hash256, Fork), Heat> _heat = new();

    private sealed class Heat
    {
        public int Executions;
        public long Gas;
        public int Queued;
    }

    /// <summary>Creates a JIT engine (<paramref name="tiered"/>: compile only hot code, in the background, by <paramref name="tiering"/>).</summary>
    public JitEngine(bool tiered = false, ITracer? tracer = null, CompiledCodeCache? cache = null, JitOptions? options = null, TieringPolicy? tiering = null)
    {
        _tiering = tiering ?? TieringPolicy.Default;
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
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            var moved = SizedStackThread.Execute(this, host, fork, message, code, codeHash);
            if (_tiered) t_childGas += message.Gas - moved.GasLeft; // this frame, run and counted there, for its caller
            return moved;
        }
        // Init code comes without a hash; key it by its own.
        var key = codeHash == Hash256.Zero ? Keccak256.Compute(code.Span) : codeHash;
        if (!_tiered)
        {
            var compiled = Compile(code, key, fork);
            return compiled is null ? _interpreter.Execute(host, fork, message, code, codeHash) : Run(compiled, host, fork, message, code);
        }
        // Tiered: gas counts for the code that spent it. Nested frames come back through here and add what they spent
        // (their own and their children's) to t_childGas, which this frame takes off its total, so a recursive call
        // chain counts each frame's gas once, not once per ancestor (that made deep chains hot at once).
        long outer = message.Depth == 0 ? 0 : t_childGas;
        t_childGas = 0;
        ExecutionResult result;
        if (_cache.TryGet(key, fork) is { } entry)
        {
            result = entry.Code is { } ready ? Run(ready, host, fork, message, code) : _interpreter.Execute(host, fork, message, code, codeHash);
        }
        else
        {
            result = _interpreter.Execute(host, fork, message, code, codeHash);
            // At least 0: a value-bearing call's 2,300-gas stipend is spent by the child but not paid by this frame.
            CountExecution(code, key, fork, Math.Max(0, message.Gas - result.GasLeft - t_childGas));
        }
        t_childGas = outer + (message.Gas - result.GasLeft);
        return result;
    }

    // The gas spent by the frames nested in the one this thread is running (see Execute). A frame moved to a thread
    // with a larger stack (SizedStackThread) counts there and is added here, by its caller, as a whole.
    [ThreadStatic] private static long t_childGas;

    private CompiledContract? Compile(ReadOnlyMemory<byte> code, in Hash256 key, Fork fork)
    {
        var entry = _cache.GetOrCompile(code.Span, key, fork, _options);
        LastFailureReason = entry.FailureReason;
        if (entry.Code is null && JitCompiler.IsCompilerFault(entry.FailureReason)) CompileFailureHook?.Invoke(entry.FailureReason!);
        return entry.Code;
    }

    /// <summary>
    /// Test hook: called when the compiler failed on a code it should have compiled (it threw, or met an opcode it does
    /// not handle), before the interpreter runs the code instead. The tests make it throw, so that a compiler failure
    /// cannot pass for a JIT test that the interpreter passed.
    /// </summary>
    internal static Action<string>? CompileFailureHook;

    private int _pendingCompilations;
    private int _trackedCodes;

    /// <summary>Background compilations queued and not finished yet (a benchmark waits for none before timing more).</summary>
    internal int PendingCompilations => Volatile.Read(ref _pendingCompilations);

    /// <summary>The gas counted so far for interpreted executions of a code not yet queued for compilation (tests).</summary>
    internal long CountedGas(in Hash256 key, Fork fork) => _heat.TryGetValue((key, fork), out var heat) ? Interlocked.Read(ref heat.Gas) : 0;

    /// <summary>Counts an interpreted execution of a code that spent <paramref name="gas"/> itself (its nested calls not included); queues its compilation once hot.</summary>
    private void CountExecution(ReadOnlyMemory<byte> code, in Hash256 key, Fork fork, long gas)
    {
        if (!_heat.TryGetValue((key, fork), out var heat))
        {
            // Bounded: counts of codes that never got hot are forgotten wholesale. (Counted here, on a miss, rather
            // than by ConcurrentDictionary.Count, which takes every lock of the table on every execution.)
            if (Interlocked.Increment(ref _trackedCodes) > MaxTrackedCodes)
            {
                _heat.Clear();
                Interlocked.Exchange(ref _trackedCodes, 0);
            }
            heat = _heat.GetOrAdd((key, fork), static _ => new Heat());
        }
        int runs = Interlocked.Increment(ref heat.Executions);
        long spent = Interlocked.Add(ref heat.Gas, gas);
        if (!_tiering.IsHot(code.Length, runs, spent) || Interlocked.Exchange(ref heat.Queued, 1) != 0) return;
        QueueCompilation(code, key, fork);
    }

    // Apart from CountExecution: the closure captures a parameter, and C# allocates its display class on entry to the
    // method that declares it, which would cost every counted execution 88 bytes.
    private void QueueCompilation(ReadOnlyMemory<byte> code, in Hash256 key, Fork fork)
    {
        // Copy the code: the caller's memory may be reused once this frame ends.
        var copy = code.ToArray();
        var cache = _cache;
        // In the background the .NET JIT may as well run too: the first compiled execution then pays nothing.
        var options = _options with { EagerDotNetJit = true };
        var hash = key;
        Interlocked.Increment(ref _pendingCompilations);
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                cache.Add(hash, fork, CompiledCodeCache.Compile(copy, hash, fork, options));
                // Tracked no more (the bound counts live entries, not insertions).
                if (_heat.TryRemove((hash, fork), out Heat? _)) Interlocked.Decrement(ref _trackedCodes);
            }
            finally
            {
                Interlocked.Decrement(ref _pendingCompilations);
            }
        }, null);
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
