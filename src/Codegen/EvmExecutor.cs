using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm;

/// <summary>How an <see cref="EvmExecutor"/> runs code: fork, engine, code cache and tracing.</summary>
public sealed class EvmOptions
{
    /// <summary>The fork whose rules apply (default <see cref="Fork.Cancun"/>).</summary>
    public Fork Fork { get; init; } = Fork.Cancun;

    /// <summary>
    /// The engine: <see cref="EngineKind.Interpreter"/>, <see cref="EngineKind.Jit"/> (compile every code on first use)
    /// or <see cref="EngineKind.Tiered"/> (interpret cold code, compile hot code in the background; the default).
    /// </summary>
    public EngineKind Engine { get; init; } = EngineKind.Tiered;

    /// <summary>Most compiled codes kept in the executor's own cache (used when <see cref="CodeCache"/> is null).</summary>
    public int CodeCacheEntries { get; init; } = 4096;

    /// <summary>Approximate bytes of compiled code kept in the executor's own cache (used when <see cref="CodeCache"/> is null).</summary>
    public long CodeCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// A cache to share between executors (e.g. <see cref="CompiledCodeCache.Shared"/>); null gives the executor a cache
    /// of its own bounded by <see cref="CodeCacheEntries"/> and <see cref="CodeCacheBytes"/>.
    /// </summary>
    public CompiledCodeCache? CodeCache { get; init; }

    /// <summary>
    /// When set, called once per top-level execution (a message of depth 0, or a transaction) to make the tracer that
    /// sees every step of it, e.g. <c>() =&gt; new Eip3155Tracer(Console.Error)</c>. Traced executions run in the
    /// interpreter (EIP-3155 needs per-instruction gas). Null (the default): no tracing, no cost.
    /// </summary>
    public Func<ITracer>? TracerFactory { get; init; }

    /// <summary>When the tiered engine compiles a code (by default: once the gas it spent interpreted pays for the compilation).</summary>
    public TieringPolicy Tiering { get; init; } = TieringPolicy.Default;
}

/// <summary>
/// The entry point for clients: executes messages against the client's <see cref="IEvmHost"/>, or whole transactions
/// against a <see cref="WorldState"/>, with the fork and engine chosen in <see cref="EvmOptions"/>.
/// </summary>
/// <remarks>
/// <para>One executor is safe to use from many threads at once: engines keep no per-call state in themselves (each
/// call gets its own frame, pooled per thread), the compiled-code cache is a concurrent, bounded dictionary shared by
/// all threads, and a traced execution gets a fresh tracer and engine from <see cref="EvmOptions.TracerFactory"/>.
/// A host, a <see cref="WorldState"/> and a tracer must each be used by one thread at a time.</para>
/// <para>Deep call chains (up to the EVM's 1024 frames) need a deep native stack. Any thread will do: when a thread's
/// stack is nearly used up, the engines continue the deeper frames on a thread of their own with a large stack and
/// wait for it (results and exceptions come back to the caller). Running executions on a thread created with
/// <see cref="LargeStackSize"/> bytes of stack avoids that hand-over.</para>
/// </remarks>
public sealed class EvmExecutor
{
    /// <summary>A thread stack size deep enough for call depth 1024 (256 MiB, reserved, not committed).</summary>
    public const int LargeStackSize = 256 * 1024 * 1024;

    // The traced engine of the top-level execution running on this thread, for the nested frames the host sends back.
    [ThreadStatic] private static TracedScope? t_traced;

    private sealed class TracedScope
    {
        public required EvmExecutor Owner;
        public required IExecutionEngine Engine;
    }

    private readonly IExecutionEngine _engine;

    /// <summary>Creates an executor with <paramref name="options"/> (defaults: Cancun, tiered, own bounded cache).</summary>
    public EvmExecutor(EvmOptions? options = null)
    {
        Options = options ?? new EvmOptions();
        if (!Engines.IsAvailable(Options.Engine))
            throw new ArgumentOutOfRangeException(nameof(options), Options.Engine, "unknown engine kind");
        if (Options.CodeCache is null && (Options.CodeCacheEntries < 1 || Options.CodeCacheBytes < 1))
            throw new ArgumentOutOfRangeException(nameof(options), "the code cache bounds must be positive");
        CodeCache = Options.CodeCache ?? new CompiledCodeCache(Options.CodeCacheEntries, Options.CodeCacheBytes);
        _engine = CreateEngine(null);
    }

    /// <summary>The options this executor was created with.</summary>
    public EvmOptions Options { get; }

    /// <summary>The fork whose rules apply.</summary>
    public Fork Fork => Options.Fork;

    /// <summary>The engine kind.</summary>
    public EngineKind EngineKind => Options.Engine;

    /// <summary>The compiled-code cache of the JIT and tiered engines (unused by the interpreter).</summary>
    public CompiledCodeCache CodeCache { get; }

    /// <summary>
    /// The untraced engine, for code that drives <see cref="IExecutionEngine"/> directly (thread-safe like the executor).
    /// </summary>
    public IExecutionEngine Engine => _engine;

    private IExecutionEngine CreateEngine(ITracer? tracer) => Options.Engine switch
    {
        EngineKind.Interpreter => new Interpreter(tracer),
        EngineKind.Jit => new JitEngine(tiered: false, tracer, CodeCache),
        _ => new JitEngine(tiered: true, tracer, CodeCache, tiering: Options.Tiering),
    };

    /// <summary>
    /// Executes one frame: the code of <paramref name="message"/>'s <see cref="Message.CodeAddress"/> (read from the
    /// host), a precompile when the code address is one, or for <see cref="CallKind.Create"/>/<see cref="CallKind.Create2"/>
    /// the init code in <see cref="Message.Input"/> (the frame then runs with empty call data).
    /// </summary>
    /// <remarks>
    /// This is EVMC's <c>execute</c>: it runs the frame only. Value transfer, snapshots, address derivation and code
    /// deposit of the message itself are the host's, as they are for the nested calls the frame makes through
    /// <see cref="IEvmHost.Call"/> (which a host typically implements by calling this method again).
    /// </remarks>
    public ExecutionResult Execute(IEvmHost host, in Message message)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (message.Kind is CallKind.Create or CallKind.Create2)
            return Execute(host, message with { Input = ReadOnlyMemory<byte>.Empty }, message.Input, Hash256.Zero);
        if (PrecompileRegistry.Get(message.CodeAddress, Options.Fork) is { } precompile)
            return RunPrecompile(precompile, message);
        var code = host.GetCode(message.CodeAddress);
        if (code.IsEmpty) return new ExecutionResult { Status = StatusCode.Success, GasLeft = message.Gas, Output = [] };
        return Execute(host, message, code, host.GetCodeHash(message.CodeAddress));
    }

    /// <summary>
    /// Executes <paramref name="code"/> for <paramref name="message"/> (EVMC's <c>execute</c> with the code given).
    /// <paramref name="codeHash"/> keys the compiled-code cache: pass the code's keccak256, or
    /// <see cref="Hash256.Zero"/> when unknown (it is then computed for the JIT).
    /// </summary>
    public ExecutionResult Execute(IEvmHost host, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Options.TracerFactory is null) return _engine.Execute(host, Options.Fork, message, code, codeHash);
        if (t_traced is { } scope && ReferenceEquals(scope.Owner, this) && message.Depth > 0)
            return scope.Engine.Execute(host, Options.Fork, message, code, codeHash);
        var outer = t_traced;
        t_traced = new TracedScope { Owner = this, Engine = CreateEngine(Options.TracerFactory()) };
        try
        {
            return t_traced.Engine.Execute(host, Options.Fork, message, code, codeHash);
        }
        finally
        {
            t_traced = outer;
        }
    }

    /// <summary>
    /// Validates and applies a whole transaction to <paramref name="state"/>: intrinsic gas, nonce and balance checks,
    /// gas purchase, EIP-2929 pre-warming, execution (nested calls, creates, precompiles), refunds, fees to the
    /// coinbase, EIP-161 clean-up. A rejected transaction leaves the state unchanged and says why in
    /// <see cref="TransactionResult.Error"/>. The logs stay in <see cref="WorldState.Logs"/>.
    /// </summary>
    public TransactionResult ExecuteTransaction(WorldState state, Transaction transaction, BlockEnvironment block)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(block);
        var engine = Options.TracerFactory is { } factory ? CreateEngine(factory()) : _engine;
        return TransactionProcessor.Execute(state, transaction, block, Options.Fork, engine);
    }

    private ExecutionResult RunPrecompile(IPrecompile precompile, in Message message)
    {
        var input = message.Input.Span;
        long required = precompile.RequiredGas(input, Options.Fork);
        if (required < 0 || required > message.Gas) return ExecutionResult.Failure(StatusCode.OutOfGas);
        if (!precompile.TryRun(input, Options.Fork, out var output)) return ExecutionResult.Failure(StatusCode.PrecompileFailure);
        return new ExecutionResult { Status = StatusCode.Success, GasLeft = message.Gas - required, Output = output };
    }
}
