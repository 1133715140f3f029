using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.State;

/// <summary>The host's frame handling, with a scripted engine standing in for the interpreter.</summary>
public class StateHostTests
{
    private static readonly Address Sender = Address.FromNumber(0x5e4d);
    private static readonly Address Callee = Address.FromNumber(0xca11);

    private sealed class ScriptedEngine(Func<IEvmHost, Message, ExecutionResult> body) : IExecutionEngine
    {
        public string Name => "scripted";
        public ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash) => body(host, message);
    }

    private static (WorldState, StateHost) Setup(Fork fork, Func<IEvmHost, Message, ExecutionResult> body)
    {
        var s = new WorldState();
        s.SetAccount(Sender, 1, 1_000_000, []);
        s.SetAccount(Callee, 1, 0, [0x00]);
        s.BeginTransaction();
        return (s, new StateHost(s, fork, new ScriptedEngine(body), new TxContext()));
    }

    [Fact]
    public void Failed_call_reverts_its_value_transfer_and_storage()
    {
        var (s, host) = Setup(Fork.Cancun, (h, m) =>
        {
            h.SetStorage(m.Recipient, 1, 42);
            return ExecutionResult.Failure(StatusCode.OutOfGas);
        });
        var r = host.Call(new Message { Kind = CallKind.Call, Gas = 1000, Sender = Sender, Recipient = Callee, CodeAddress = Callee, Value = 500 });
        Assert.Equal(StatusCode.OutOfGas, r.Status);
        Assert.Equal(new UInt256(1_000_000), s.GetBalance(Sender));
        Assert.Equal(UInt256.Zero, s.GetBalance(Callee));
        Assert.Equal(UInt256.Zero, s.GetStorage(Callee, 1));
    }

    [Fact]
    public void Successful_call_keeps_value_and_storage()
    {
        var (s, host) = Setup(Fork.Cancun, (h, m) =>
        {
            h.SetStorage(m.Recipient, 1, 42);
            return new ExecutionResult { Status = StatusCode.Success, GasLeft = 10, Output = [] };
        });
        var r = host.Call(new Message { Kind = CallKind.Call, Gas = 1000, Sender = Sender, Recipient = Callee, CodeAddress = Callee, Value = 500 });
        Assert.True(r.IsSuccess);
        Assert.Equal(new UInt256(500), s.GetBalance(Callee));
        Assert.Equal(new UInt256(42), s.GetStorage(Callee, 1));
    }

    [Fact]
    public void Create_bumps_nonce_charges_deposit_and_stores_code()
    {
        byte[] runtime = [0x60, 0x00, 0x00];
        var (s, host) = Setup(Fork.Cancun, (h, m) =>
        {
            Assert.True(m.Input.IsEmpty); // init code sees no call data
            return new ExecutionResult { Status = StatusCode.Success, GasLeft = 10_000, Output = runtime };
        });
        var r = host.Call(new Message { Kind = CallKind.Create, Gas = 20_000, Sender = Sender, Input = new byte[] { 0xfe } });
        var expected = StateHost.CreateAddress(Sender, 1);
        Assert.True(r.IsSuccess);
        Assert.Equal(expected, r.CreatedAddress);
        Assert.Equal(10_000 - 200 * runtime.Length, r.GasLeft); // EIP: 200 gas per byte of deployed code
        Assert.Equal(runtime, s.GetCode(expected));
        Assert.Equal(1UL, s.GetNonce(expected));      // EIP-161: new contracts start at nonce 1
        Assert.Equal(2UL, s.GetNonce(Sender));
    }

    [Fact]
    public void Create_rejects_code_starting_with_EF_from_London()
    {
        var (s, host) = Setup(Fork.London, (h, m) => new ExecutionResult { Status = StatusCode.Success, GasLeft = 10_000, Output = [0xef] });
        var r = host.Call(new Message { Kind = CallKind.Create, Gas = 20_000, Sender = Sender, Input = new byte[] { 0xfe } });
        Assert.False(r.IsSuccess);
        Assert.Equal(0, r.GasLeft);
        Assert.False(s.Exists(StateHost.CreateAddress(Sender, 1)));
        Assert.Equal(2UL, s.GetNonce(Sender)); // the nonce bump survives the failed create
    }

    [Fact]
    public void Create_whose_init_code_reverts_with_data_starting_with_EF_is_a_plain_revert()
    {
        // EIP-3541 rejects *code to be deployed* starting with 0xEF; revert data is not code: the creation reverts, its
        // unused gas comes back and the data is the return data. (@ethereumjs/evm 10.1.3 applies the check to revert
        // data too and consumes all gas: fuzz/findings/ethereumjs-create-revert-data-0xef-20261210-8780.json.)
        byte[] data = [0xef, 0x09, 0x35];
        var (s, host) = Setup(Fork.Cancun, (h, m) => new ExecutionResult { Status = StatusCode.Revert, GasLeft = 10_000, Output = data });
        var r = host.Call(new Message { Kind = CallKind.Create, Gas = 20_000, Sender = Sender, Input = new byte[] { 0xfe } });
        Assert.Equal(StatusCode.Revert, r.Status);
        Assert.Equal(10_000, r.GasLeft);
        Assert.Equal(data, r.Output);
        Assert.False(s.Exists(StateHost.CreateAddress(Sender, 1)));
    }

    [Fact]
    public void Create_collision_consumes_all_gas()
    {
        var (s, host) = Setup(Fork.Cancun, (h, m) => throw new InvalidOperationException("must not run"));
        var target = StateHost.CreateAddress(Sender, 1);
        s.SetAccount(target, 1, 0, []);
        var r = host.Call(new Message { Kind = CallKind.Create, Gas = 20_000, Sender = Sender, Input = new byte[] { 0x00 } });
        Assert.Equal(StatusCode.CreateCollision, r.Status);
        Assert.Equal(0, r.GasLeft);
    }

    [Fact]
    public void SelfDestruct_in_Cancun_only_moves_balance_unless_created_in_the_transaction()
    {
        var (s, host) = Setup(Fork.Cancun, (h, m) => default);
        s.SetBalance(Callee, 77);
        Assert.False(host.SelfDestruct(Callee, Sender));
        Assert.Equal(UInt256.Zero, s.GetBalance(Callee));
        s.EndTransaction(true);
        Assert.True(s.Exists(Callee)); // EIP-6780: not deleted
        Assert.Equal(new UInt256(1_000_077), s.GetBalance(Sender));
    }

    [Fact]
    public void SelfDestruct_before_Cancun_deletes_the_account()
    {
        var (s, host) = Setup(Fork.Shanghai, (h, m) => default);
        Assert.True(host.SelfDestruct(Callee, Sender));
        Assert.False(host.SelfDestruct(Callee, Sender)); // second time: no new registration (no second refund)
        s.EndTransaction(true);
        Assert.False(s.Exists(Callee));
    }

    [Fact]
    public void Zero_value_call_to_missing_account_does_not_create_it_from_Spurious_Dragon()
    {
        var missing = Address.FromNumber(0xdead);
        var (s, host) = Setup(Fork.SpuriousDragon, (h, m) => default);
        var r = host.Call(new Message { Kind = CallKind.Call, Gas = 100, Sender = Sender, Recipient = missing, CodeAddress = missing });
        Assert.True(r.IsSuccess);
        Assert.Equal(100, r.GasLeft);
        Assert.False(s.Exists(missing));

        var (f, frontierHost) = Setup(Fork.Frontier, (h, m) => default);
        frontierHost.Call(new Message { Kind = CallKind.Call, Gas = 100, Sender = Sender, Recipient = missing, CodeAddress = missing });
        f.EndTransaction(false);
        Assert.True(f.Exists(missing)); // before EIP-161 the call creates an empty account
    }

    [Fact]
    public void Unimplemented_precompile_is_recorded()
    {
        var (s, host) = Setup(Fork.Cancun, (h, m) => default);
        var bn254Add = Address.FromNumber(6);
        host.Call(new Message { Kind = CallKind.Call, Gas = 1000, Sender = Sender, Recipient = bn254Add, CodeAddress = bn254Add });
        if (Jevm.Precompiles.PrecompileRegistry.Get(bn254Add, Fork.Cancun) is null)
            Assert.Equal(bn254Add, host.UnimplementedPrecompile);
        else
            Assert.Null(host.UnimplementedPrecompile);
    }

    [Fact]
    public void BlockHash_is_keccak_of_decimal_number()
    {
        var (_, host) = Setup(Fork.Cancun, (h, m) => default);
        Assert.Equal(Jevm.Crypto.Keccak256.Compute("12"u8), host.GetBlockHash(12));
    }
}
