using Erc20Host;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;
using Jevm.Tests.Support;

namespace Jevm.Tests.Api;

/// <summary>The public facade <see cref="EvmExecutor"/>: frames, precompiles, tracing, transactions, threads.</summary>
public class EvmExecutorTests
{
    private static readonly Address Caller = Address.FromNumber(0xca11e4);
    private static readonly Address Contract = Address.FromNumber(0xc0de);

    // PUSH1 3 PUSH1 2 ADD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns the word 5.
    private static readonly byte[] AddCode = Convert.FromHexString("6003600201" + "600052" + "60206000f3");

    private static (EvmExecutor, DictionaryHost) Setup(EngineKind engine, Func<Jevm.Evm.Tracing.ITracer>? tracer = null)
    {
        var evm = new EvmExecutor(new EvmOptions { Engine = engine, Fork = Fork.Cancun, TracerFactory = tracer });
        var host = new DictionaryHost(evm, new TxContext { Origin = Caller });
        host.BeginTransaction();
        return (evm, host);
    }

    private static Message CallTo(in Address to, long gas = 100_000, byte[]? input = null) =>
        new() { Kind = CallKind.Call, Gas = gas, Sender = Caller, Recipient = to, CodeAddress = to, Input = input ?? [] };

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Execute_runs_the_code_of_the_code_address(EngineKind engine)
    {
        var (evm, host) = Setup(engine);
        var account = host.Account(Contract);
        account.Code = AddCode;
        account.CodeHash = Keccak256.Compute(AddCode);
        var r = evm.Execute(host, CallTo(Contract));
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(new UInt256(5), UInt256.ReadBigEndian(r.Output));
        // Yellow Paper: six 3-gas pushes/ADD, MSTORE 3 + 3 for the first memory word, RETURN 0.
        Assert.Equal(100_000 - 24, r.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Execute_with_explicit_code_needs_no_account(EngineKind engine)
    {
        var (evm, host) = Setup(engine);
        var r = evm.Execute(host, CallTo(Contract), AddCode, Hash256.Zero);
        Assert.Equal(new UInt256(5), UInt256.ReadBigEndian(r.Output));
    }

    [Fact]
    public void Execute_of_an_account_without_code_succeeds_with_all_gas()
    {
        var (evm, host) = Setup(EngineKind.Interpreter);
        var r = evm.Execute(host, CallTo(Address.FromNumber(0xdead), gas: 777));
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(777, r.GasLeft);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Execute_runs_precompiles_identity_gas_15_plus_3_per_word()
    {
        var (evm, host) = Setup(EngineKind.Jit);
        byte[] data = [1, 2, 3, 4, 5];
        var r = evm.Execute(host, CallTo(Address.FromNumber(4), gas: 1000, input: data));
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(data, r.Output);
        Assert.Equal(1000 - 18, r.GasLeft);
        Assert.Equal(StatusCode.OutOfGas, evm.Execute(host, CallTo(Address.FromNumber(4), gas: 17, input: data)).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Tracer_factory_gives_one_tracer_per_top_level_call_that_sees_nested_frames(EngineKind engine)
    {
        var tracers = new List<RecordingTracer>();
        var (evm, host) = Setup(engine, () => { var t = new RecordingTracer(); tracers.Add(t); return t; });
        var callee = host.Account(Contract);
        callee.Code = AddCode;
        callee.CodeHash = Keccak256.Compute(AddCode);
        // Caller contract: CALL(gas 50000, Contract, 0, 0, 0, 0, 32) then STOP.
        var outer = Address.FromNumber(0x07e4);
        var code = Convert.FromHexString("6020" + "6000" + "6000" + "6000" + "6000" + "61c0de" + "61c350" + "f1" + "00");
        host.Account(outer).Code = code;
        host.Account(outer).CodeHash = Keccak256.Compute(code);
        for (int i = 0; i < 2; i++)
        {
            var r = evm.Execute(host, CallTo(outer));
            Assert.Equal(StatusCode.Success, r.Status);
        }
        Assert.Equal(2, tracers.Count);
        foreach (var t in tracers)
        {
            Assert.Equal(9, t.Steps.Count(s => s.Depth == 1));  // 7 pushes, CALL, STOP
            Assert.Equal(8, t.Steps.Count(s => s.Depth == 2));  // AddCode's 8 instructions
        }
    }

    [Theory]
    [InlineData(EngineKind.Jit)]
    [InlineData(EngineKind.Tiered)]
    public void One_executor_serves_many_threads(EngineKind engine)
    {
        var evm = new EvmExecutor(new EvmOptions { Engine = engine, CodeCacheEntries = 16 });
        // Sum 1..n in a loop: n from call data, result returned (independent expectation n(n+1)/2).
        var code = Convert.FromHexString(
            "6000" + "35" +             // n = CALLDATALOAD(0)
            "6000" +                    // acc = 0
            "5b" +                      // loop (pc 5): [n, acc]
            "81" + "15" + "6017" + "57" + // if n == 0 jump to end (pc 0x17)
            "81" + "01" +               // acc += n
            "90" + "6001" + "90" + "03" + // n -= 1
            "90" + "6005" + "56" +      // back to loop, stack [n, acc]
            "00" +                      // padding (pc 0x16)
            "5b" + "6000" + "52" + "60206000f3");
        var failures = 0;
        var threads = new Thread[4];
        for (int t = 0; t < threads.Length; t++)
        {
            int seed = t;
            threads[t] = new Thread(() =>
            {
                var host = new DictionaryHost(evm, new TxContext());
                for (int i = 0; i < 40; i++)
                {
                    ulong n = (ulong)(seed * 40 + i);
                    host.BeginTransaction();
                    var r = evm.Execute(host, CallTo(Contract, gas: 1_000_000, input: new UInt256(n).ToBigEndianBytes()), code, Keccak256.Compute(code));
                    if (!r.IsSuccess || UInt256.ReadBigEndian(r.Output) != new UInt256(n * (n + 1) / 2)) Interlocked.Increment(ref failures);
                }
            });
            threads[t].Start();
        }
        foreach (var t in threads) t.Join();
        Assert.Equal(0, failures);
    }

    [Fact]
    public void ExecuteTransaction_applies_a_value_transfer_with_fees()
    {
        var evm = new EvmExecutor(new EvmOptions { Engine = EngineKind.Interpreter, Fork = Fork.Cancun });
        var state = new WorldState();
        var sender = Address.FromNumber(0x5e4d);
        var to = Address.FromNumber(0x7777);
        var coinbase = Address.FromNumber(0xc0b);
        state.SetAccount(sender, 0, 1_000_000_000_000, []);
        var block = new BlockEnvironment { Coinbase = coinbase, GasLimit = 30_000_000, Number = 1, BaseFee = 7 };
        var tx = new Transaction { Type = 2, Sender = sender, Nonce = 0, To = to, Value = 1234, GasLimit = 50_000, MaxFeePerGas = 10, MaxPriorityFeePerGas = 2 };
        var r = evm.ExecuteTransaction(state, tx, block);
        Assert.Null(r.Error);
        Assert.Equal(21_000, r.GasUsed);
        // EIP-1559: effective price min(10, 7 + 2) = 9 per gas paid; the tip 2 per gas goes to the coinbase.
        Assert.Equal(new UInt256(1_000_000_000_000UL - 1234 - 21_000 * 9), state.GetBalance(sender));
        Assert.Equal(new UInt256(1234), state.GetBalance(to));
        Assert.Equal(new UInt256(21_000 * 2), state.GetBalance(coinbase));
        Assert.Equal(1UL, state.GetNonce(sender));

        var replay = evm.ExecuteTransaction(state, tx, block);
        Assert.Equal("TransactionException.NONCE_TOO_LOW", replay.Error);
    }

    [Fact]
    public void Options_are_checked_and_exposed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvmExecutor(new EvmOptions { CodeCacheEntries = 0 }));
        var shared = new Jevm.Codegen.CompiledCodeCache(8, 1 << 20);
        var evm = new EvmExecutor(new EvmOptions { Engine = EngineKind.Jit, Fork = Fork.Shanghai, CodeCache = shared });
        Assert.Same(shared, evm.CodeCache);
        Assert.Equal(Fork.Shanghai, evm.Fork);
        Assert.Equal("jit", evm.Engine.Name);
        var defaults = new EvmExecutor();
        Assert.Equal(EngineKind.Tiered, defaults.EngineKind);
        Assert.Equal(4096, defaults.CodeCache.MaxEntries);
    }
}
