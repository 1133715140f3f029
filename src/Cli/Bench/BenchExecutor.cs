using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Cli.Bench;

/// <summary>What one execution of a case produced.</summary>
internal readonly record struct BenchOutcome(StatusCode Status, long GasUsed, long Refund, byte[] Output, WorldState State)
{
    /// <summary>
    /// The gas a receipt would show: execution gas plus the intrinsic gas, minus the refund capped at 1/5 (London on) or
    /// 1/2 of the gas used (EIP-3529). Matches the manifest's <c>txGasUsed</c>.
    /// </summary>
    public long TxGasUsed(Fork fork, ReadOnlySpan<byte> calldata)
    {
        long used = GasUsed + TransactionProcessor.IntrinsicGas(fork, calldata, false, 0, 0);
        long refund = Status == StatusCode.Success ? Math.Max(0, Refund) : 0;
        return used - Math.Min(refund, used / (fork >= Fork.London ? 5 : 2));
    }
}

/// <summary>
/// Runs a case the way ../shared/bench prescribes: code at <see cref="CodeAddress"/> with empty storage, a top-level
/// CALL with value 0 from <see cref="Caller"/>, <see cref="DefaultGas"/> gas, a fresh state for every execution, and the
/// transaction's warm set (EIP-2929: sender, recipient, precompiles; EIP-3651: coinbase).
/// </summary>
internal sealed class BenchExecutor
{
    /// <summary>Where the code lives.</summary>
    public static readonly Address CodeAddress = Address.Parse("0xbe7c43a580000000000000000000000000000001");
    /// <summary>The caller and origin.</summary>
    public static readonly Address Caller = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    /// <summary>The execution gas limit (the intrinsic gas is not taken from it).</summary>
    public const long DefaultGas = 1_000_000_000;

    private readonly WorldState _template = new();
    private readonly Address[] _warm;
    private readonly TxContext _context;
    private readonly Message _message;

    /// <summary>Prepares runs of <paramref name="benchCase"/> at <paramref name="fork"/>.</summary>
    public BenchExecutor(BenchCase benchCase, Fork fork, long gas = DefaultGas)
    {
        Case = benchCase;
        Fork = fork;
        _template.SetAccount(CodeAddress, 1, UInt256.Zero, benchCase.Code);
        _template.SetAccount(Caller, 0, new UInt256(1_000_000_000_000_000_000UL), []);
        var coinbase = Address.Zero;
        var warm = new List<Address>();
        if (fork >= Fork.Berlin)
        {
            warm.Add(Caller);
            warm.Add(CodeAddress);
            foreach (var p in PrecompileRegistry.Addresses(fork)) warm.Add(p);
            if (fork >= Fork.Shanghai) warm.Add(coinbase);
        }
        _warm = warm.ToArray();
        _context = new TxContext { Origin = Caller, Coinbase = coinbase, BlockNumber = 1, Timestamp = 1, BlockGasLimit = 30_000_000, ChainId = 1 };
        _message = new Message
        {
            Kind = CallKind.Call,
            Gas = gas,
            Sender = Caller,
            Recipient = CodeAddress,
            CodeAddress = CodeAddress,
            Input = benchCase.Calldata,
        };
    }

    /// <summary>The case.</summary>
    public BenchCase Case { get; }

    /// <summary>The fork.</summary>
    public Fork Fork { get; }

    /// <summary>A fresh state with the transaction begun and the warm set applied (outside any timing).</summary>
    public WorldState FreshState()
    {
        var state = _template.Clone();
        state.BeginTransaction();
        foreach (var a in _warm) state.WarmAccount(a);
        return state;
    }

    /// <summary>Executes the call on <paramref name="state"/> (from <see cref="FreshState"/>) with <paramref name="engine"/>.</summary>
    public BenchOutcome Execute(IExecutionEngine engine, WorldState state)
    {
        var host = new StateHost(state, Fork, engine, _context);
        var r = host.Call(_message);
        long left = r.Status is StatusCode.Success or StatusCode.Revert ? r.GasLeft : 0;
        return new BenchOutcome(r.Status, _message.Gas - left, r.IsSuccess ? r.GasRefund : 0, r.Output ?? [], state);
    }

    /// <summary>Executes once on a fresh state.</summary>
    public BenchOutcome Execute(IExecutionEngine engine) => Execute(engine, FreshState());
}
