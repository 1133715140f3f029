using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Primitives;

namespace Jevm.Codegen;

/// <summary>
/// When tiered mode compiles a code: once the time it has spent interpreted is a multiple of what compiling it is
/// expected to cost (<see cref="CompileTimeMultiple"/>), or after a number of executions (<see cref="HotExecutions"/>).
/// </summary>
/// <remarks>
/// The rule of thumb behind the default of 2: a code that has run for a time T is expected to run about as long again,
/// and compiling saves (1 − 1/s)·T of that for a speed-up s of the compiled code, about half of T for the 2–3× typical
/// of contract code; so compiling pays once T reaches about twice the compile time. Time, not gas, is counted: a unit
/// of gas costs the interpreter anything from a fraction of a nanosecond (storage) to more than one (arithmetic), and
/// compiling costs from about 7 to 30 µs per byte of code. The engine estimates the compile time from the code's
/// length and the compilations it has done (see <see cref="JitEngine"/>).
/// </remarks>
public sealed record TieringPolicy
{
    /// <summary>
    /// How many times its estimated compile time a code must have spent interpreted (its own frames' time, over all
    /// its executions, nested calls excluded) before it is compiled; <see cref="double.PositiveInfinity"/>: never by time.
    /// </summary>
    public double CompileTimeMultiple
    {
        get => _compileTimeMultiple;
        init => _compileTimeMultiple = double.IsNaN(value) || value < 0
            ? throw new ArgumentOutOfRangeException(nameof(CompileTimeMultiple), value, "must be 0 or more (0: compile at the first execution; infinity: never by time)")
            : value;
    }

    private readonly double _compileTimeMultiple = 2.0;

    /// <summary>Executions after which a code is compiled whatever time it spent (0: never by count; tests use it).</summary>
    public int HotExecutions { get; init; }

    /// <summary>The default: by time only.</summary>
    public static TieringPolicy Default { get; } = new();

    /// <summary>A policy that never compiles (a tiered engine with it interprets everything; tests use it).</summary>
    public static TieringPolicy Never { get; } = new() { CompileTimeMultiple = double.PositiveInfinity };

    /// <summary>
    /// True when a code that ran <paramref name="executions"/> times, spending <paramref name="interpreted"/> in the
    /// interpreter, is worth compiling at an estimated cost of <paramref name="estimatedCompile"/>.
    /// </summary>
    public bool IsHot(int executions, TimeSpan interpreted, TimeSpan estimatedCompile) =>
        IsHot(executions, interpreted.Ticks, CompileAfter(estimatedCompile) is var after && after != TimeSpan.MaxValue ? after.Ticks : long.MaxValue);

    /// <summary>
    /// The rule itself, on times in any one unit (the engine's are Stopwatch ticks), with <paramref name="compileAfter"/>
    /// worked out beforehand from <see cref="CompileAfter"/>; <see cref="long.MaxValue"/> for never.
    /// </summary>
    internal bool IsHot(int executions, long interpreted, long compileAfter) =>
        (HotExecutions > 0 && executions >= HotExecutions) || (compileAfter != long.MaxValue && interpreted >= compileAfter);

    /// <summary>
    /// The interpreted time after which a code expected to take <paramref name="estimatedCompile"/> to compile is
    /// compiled; <see cref="TimeSpan.MaxValue"/> for never.
    /// </summary>
    public TimeSpan CompileAfter(TimeSpan estimatedCompile) =>
        CompileTimeMultiple * estimatedCompile.Ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)(CompileTimeMultiple * estimatedCompile.Ticks));
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

    // Plain counters, not interlocked: a count lost to a race between threads only delays a compilation a little,
    // and every interpreted execution pays for these (an interlocked add costs tens of cycles).
    // The interpreted time of a code is estimated from the sampled executions: their time per unit of work (gas, plus
    // one per execution so that a code spending no gas still counts), times all the work counted; before the first
    // sample, at 0.2 ns per unit (about the cheapest gas measured: snailtracer's, storage-heavy), so that an
    // unsampled code is credited with no more time than it can have taken, in the common case.
    private sealed class Heat(long compileAfterTicks)
    {
        public readonly long CompileAfterTicks = compileAfterTicks; // TieringPolicy.CompileAfter, in Stopwatch ticks
        public int Executions;
        public long Gas;          // own gas of all its interpreted frames (exact: tests check the attribution by it)
        public long SampledTicks; // Stopwatch ticks of the timed ones (their share, by gas, of their frames' time)
        public long SampledWork;  // their gas + 1 per execution
        public int Queued;

        public long EstimatedTicks => SampledWork == 0
            ? (long)((Gas + Executions) * UnsampledSecondsPerWork * Stopwatch.Frequency)
            : (long)((double)SampledTicks * (Gas + Executions) / SampledWork);
    }

    private const double UnsampledSecondsPerWork = 0.2e-9;

    // The compile-time estimate: a fixed part plus a part per byte of code that follows this engine's own compilations
    // (an exponential average), so it adapts to the machine and to the code it meets. Starting points: the median
    // conformance code (about 40 bytes) takes 0.40 ms, and code takes 7 (conformance, size-weighted) to 30 µs per
    // byte (the large benchmark contracts), the .NET JIT included (docs/codegen.md).
    private const double FixedCompileSeconds = 0.4e-3;
    private double _compileSecondsPerByte = 15e-6;

    /// <summary>What compiling a code of <paramref name="length"/> bytes is expected to take (see <see cref="TieringPolicy"/>).</summary>
    internal TimeSpan EstimatedCompileTime(int length) =>
        TimeSpan.FromSeconds(FixedCompileSeconds + Volatile.Read(ref _compileSecondsPerByte) * length);

    private void LearnCompileTime(TimeSpan took, int length)
    {
        double sample = Math.Clamp((took.TotalSeconds - FixedCompileSeconds) / Math.Max(1, length), 1e-6, 1e-3);
        // Racing updates may lose one sample; the estimate stays a blend of real ones.
        Volatile.Write(ref _compileSecondsPerByte, 0.75 * Volatile.Read(ref _compileSecondsPerByte) + 0.25 * sample);
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
        // The cache's version before any lookup: what is remembered of this lookup holds while it stays the same.
        int version = _cache.Version;
        ref var recent = ref t_recent;
        bool known = recent.Engine == this && recent.CacheVersion == version && recent.Fork == fork && recent.Key == key;
        if (!_tiered)
        {
            CompiledContract? compiled;
            if (known && recent.Code is { } remembered)
            {
                remembered.MarkUsed();
                LastFailureReason = null;
                compiled = remembered;
            }
            else
            {
                compiled = Compile(code, key, fork);
                // Only compiled code is remembered: a failure goes through Compile every time (its hook reports it).
                if (compiled is not null) recent = new RecentCode(this, key, fork, version, compiled, null);
            }
            return compiled is null ? _interpreter.Execute(host, fork, message, code, codeHash) : Run(compiled, host, fork, message, code);
        }
        // Tiered: gas and time count for the code that spent them. Nested frames come back through here and add the gas
        // they spent (their own and their children's) to t_childGas, which this frame takes off its total, so a
        // recursive call chain counts each frame once, not once per ancestor (that made deep chains hot at once).
        // The clock is read only for an execution that starts once this thread has interpreted SampleGas more since its
        // last timed one, and a timed frame's time is shared between it and its nested frames in proportion to their
        // gas. So the clock stays out of short executions' path, and out of nested frames (reading it in every frame
        // nested in a timed one cost a 1024-deep chain's first execution 0.7 ms; docs/codegen.md, "Tiering").
        long outer = message.Depth == 0 ? 0 : t_childGas;
        t_childGas = 0;
        ExecutionResult result;
        bool cached;
        CompiledContract? ready;
        if (known)
        {
            (cached, ready) = (recent.Heat is null, recent.Code);
            ready?.MarkUsed(); // as TryGet does
        }
        else
        {
            var entry = _cache.TryGet(key, fork);
            (cached, ready) = (entry is not null, entry?.Code);
            if (cached) recent = new RecentCode(this, key, fork, version, ready, null);
        }
        if (cached)
        {
            // Compiled, or remembered as failing to compile: interpreted then, and no longer counted.
            result = ready is not null ? Run(ready, host, fork, message, code) : _interpreter.Execute(host, fork, message, code, codeHash);
        }
        else
        {
            // Taken before the frame runs: its nested frames reuse the thread's memory of the last code.
            var heat = known ? recent.Heat : null;
            // The sampling budget is the thread's, not the code's, so nothing of the code's is looked up beforehand.
            bool timed = t_gasSinceSample >= _sampleGas;
            if (timed) t_gasSinceSample = 0;
            long begin = timed ? Stopwatch.GetTimestamp() : 0;
            result = _interpreter.Execute(host, fork, message, code, codeHash);
            long ticks = timed ? Stopwatch.GetTimestamp() - begin : 0;
            long total = Math.Max(0, message.Gas - result.GasLeft);
            // At least 0: a value-bearing call's 2,300-gas stipend is spent by the child but not paid by this frame.
            long own = Math.Max(0, total - t_childGas);
            t_gasSinceSample += own;
            heat ??= HeatOf(code.Length, key, fork);
            CountExecution(heat, code, key, fork, own, timed ? (long)((double)ticks * (own + 1) / (total + 1)) : -1);
            t_recent = new RecentCode(this, key, fork, version, null, heat);
        }
        t_childGas = outer + (message.Gas - result.GasLeft);
        return result;
    }

    // Gas a thread spends interpreted between two timed executions: at 0.16-1.9 ns per unit, 0.6-8 ms, so that the
    // clock's cost stays below 1% of the time between samples.
    internal const long DefaultSampleGas = 4_000_000;
    private readonly long _sampleGas = DefaultSampleGas;

    /// <summary>Test hook: the gas a thread interprets between two timed executions (<see cref="DefaultSampleGas"/>; 0: every execution).</summary>
    internal long SampleGas { get => _sampleGas; init => _sampleGas = value; }

    // The gas spent by the frames nested in the one this thread is running (see Execute). A frame moved to a thread
    // with a larger stack (SizedStackThread) counts there and is added here, by its caller, as a whole.
    [ThreadStatic] private static long t_childGas;

    // The code this thread last ran on a JIT engine and what the engine found for it: a node calls the same contracts
    // over and over, and finding a code by its 32-byte hash in the compiled-code cache and then in the counts (two
    // concurrent maps) cost a 4-us interpreted execution about 0.1 us (docs/benchmarks.md, "Session 9"). Thread-local,
    // so no other thread can tear it, and a struct in place, so remembering allocates nothing; trusted only for the
    // same engine and while the cache's version is the one read before the lookups (an entry added or evicted since,
    // by any engine sharing the cache, sends the next execution back to the maps). Heat: the tiered engine's counts of a
    // code the cache has no entry for; null when it has one (Code: its compiled code, null when it failed to compile).
    private readonly record struct RecentCode(JitEngine? Engine, Hash256 Key, Fork Fork, int CacheVersion, CompiledContract? Code, Heat? Heat);
    [ThreadStatic] private static RecentCode t_recent;
    [ThreadStatic] private static long t_gasSinceSample;

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

    /// <summary>The gas counted so far for interpreted executions of a code not yet compiled (tests).</summary>
    internal long CountedGas(in Hash256 key, Fork fork) => _heat.TryGetValue((key, fork), out var heat) ? heat.Gas : 0;

    /// <summary>The interpreted time counted so far for a code not yet compiled (tests).</summary>
    internal TimeSpan CountedTime(in Hash256 key, Fork fork) =>
        _heat.TryGetValue((key, fork), out var heat) ? Stopwatch.GetElapsedTime(0, heat.EstimatedTicks) : TimeSpan.Zero;

    /// <summary>The counts of a code not compiled yet, made on its first interpreted execution.</summary>
    private Heat HeatOf(int codeLength, in Hash256 key, Fork fork)
    {
        if (_heat.TryGetValue((key, fork), out var heat)) return heat;
        // Bounded: counts of codes that never got hot are forgotten wholesale. (Counted here, on a miss, rather than
        // by ConcurrentDictionary.Count, which takes every lock of the table on every execution.)
        if (Interlocked.Increment(ref _trackedCodes) > MaxTrackedCodes)
        {
            _heat.Clear();
            Interlocked.Exchange(ref _trackedCodes, 0);
        }
        var after = _tiering.CompileAfter(EstimatedCompileTime(codeLength));
        long afterTicks = after == TimeSpan.MaxValue ? long.MaxValue : (long)(after.TotalSeconds * Stopwatch.Frequency);
        return _heat.GetOrAdd((key, fork), static (_, t) => new Heat(t), afterTicks);
    }

    /// <summary>
    /// Counts an interpreted execution of a code that spent <paramref name="gas"/> itself (its nested calls not
    /// included) and, when it was timed, <paramref name="ticks"/> (its share of the frame's time; −1 when not timed);
    /// queues its compilation once hot (<see cref="TieringPolicy.IsHot(int, long, long)"/>, with the threshold worked out
    /// once per code).
    /// </summary>
    private void CountExecution(Heat heat, ReadOnlyMemory<byte> code, in Hash256 key, Fork fork, long gas, long ticks)
    {
        int runs = ++heat.Executions;
        heat.Gas += gas;
        if (ticks >= 0)
        {
            heat.SampledTicks += ticks;
            heat.SampledWork += gas + 1;
        }
        if (!_tiering.IsHot(runs, heat.EstimatedTicks, heat.CompileAfterTicks) || Interlocked.Exchange(ref heat.Queued, 1) != 0) return;
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
                var entry = CompiledCodeCache.Compile(copy, hash, fork, options);
                if (entry.Code is { } compiled) LearnCompileTime(compiled.CompileTime, copy.Length);
                cache.Add(hash, fork, entry);
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
