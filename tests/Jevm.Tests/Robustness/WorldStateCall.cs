using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.Robustness;

/// <summary>A top-level call of a contract on a fresh <see cref="WorldState"/> through the public <see cref="StateHost"/>.</summary>
public sealed class WorldStateCall
{
    public static readonly Address Contract = Address.Parse("0x000000000000000000000000000000000000c0de");
    public static readonly Address Caller = Address.Parse("0x00000000000000000000000000000000000ca11e");

    public WorldState State { get; } = new();
    public StateHost Host { get; }
    public IExecutionEngine Engine { get; }
    public Fork Fork { get; }

    public WorldStateCall(IExecutionEngine engine, byte[] code, Fork fork = Fork.Cancun, IEnumerable<(Address, byte[])>? others = null)
    {
        Engine = engine;
        Fork = fork;
        State.SetAccount(Contract, 1, UInt256.Zero, code);
        State.SetAccount(Caller, 0, new UInt256(0, 0, 1, 0), []);
        if (others is not null) foreach (var (a, c) in others) State.SetAccount(a, 1, UInt256.Zero, c);
        State.BeginTransaction();
        State.WarmAccount(Caller);
        State.WarmAccount(Contract);
        foreach (var p in PrecompileRegistry.Addresses(fork)) State.WarmAccount(p);
        var context = new TxContext { Origin = Caller, BlockGasLimit = long.MaxValue, BlockNumber = 1, Timestamp = 1, GasPrice = 1, ChainId = 1 };
        Host = new StateHost(State, fork, engine, context);
    }

    public Message Message(long gas, byte[]? input = null) => new()
    {
        Kind = CallKind.Call, Gas = gas, Sender = Caller, Recipient = Contract, CodeAddress = Contract, Input = input ?? [],
    };

    /// <summary>Through the host, as a transaction processor would call.</summary>
    public ExecutionResult ViaHost(long gas, byte[]? input = null) => Host.Call(Message(gas, input));

    /// <summary>The engine's Execute called directly with the host.</summary>
    public ExecutionResult Direct(long gas, byte[]? input = null)
    {
        var code = State.GetCode(Contract);
        return Engine.Execute(Host, Fork, Message(gas, input), code, Keccak256.Compute(code));
    }

    /// <summary>Runs <paramref name="work"/> on a new thread with <paramref name="stackSize"/> bytes of stack (default: 1 MiB, a normal thread's).</summary>
    public static T OnThread<T>(Func<T> work, int stackSize = 1024 * 1024)
    {
        T result = default!;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { error = e; }
        }, stackSize);
        t.Start();
        t.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result;
    }
}
