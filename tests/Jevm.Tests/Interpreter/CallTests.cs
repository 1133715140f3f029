using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class CallTests
{
    private static readonly Address s_callee = Address.Parse("0x00000000000000000000000000000000000ca11e");

    // Callee code that returns its GAS reading (after GAS's own 2).
    private static readonly byte[] s_reportGas = Code.New.Op(GAS).ReturnTop();

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Call_passes_all_but_one_64th_of_the_gas_left(EngineKind kind)
    {
        // Cancun; asks for 2^256 − 1 gas. Before the CALL: 7 pushes (21), then CALL's base 100, the cold callee 2500,
        // and expansion of the 32-byte output area (3). L = 100000 − 21 − 100 − 2500 − 3 = 97376;
        // the callee gets L − floor(L / 64) = 97376 − 1521 = 95855 and reads 95853 after GAS.
        var host = new TestHost(kind, Fork.Cancun).WithCode(s_callee, s_reportGas);
        var code = Code.New.Call(CALL, UInt256.MaxValue, s_callee, 0, 0, 0, 0, 32).Op(POP).Return(0, 32);
        var r = host.Run(code, gas: 100_000);
        Assert.Equal(new UInt256(95853), r.Word());
        Assert.Equal(95855, host.Calls.Single().Gas);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Call_gas_before_EIP_150_must_be_affordable(EngineKind kind)
    {
        // Homestead: asking for more than is left is out of gas; asking for less passes exactly that.
        var host = new TestHost(kind, Fork.Homestead).WithCode(s_callee, s_reportGas);
        var tooMuch = host.Run(Code.New.Call(CALL, 1_000_000, s_callee, 0, 0, 0, 0, 32), gas: 100_000);
        Assert.Equal(StatusCode.OutOfGas, tooMuch.Status);
        var r = host.Run(Code.New.Call(CALL, 5000, s_callee, 0, 0, 0, 0, 32).Op(POP).Return(0, 32), gas: 100_000);
        Assert.Equal(new UInt256(5000 - 2), r.Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Value_transfer_costs_9000_gives_a_2300_stipend_and_25000_for_a_new_account(EngineKind kind)
    {
        // Berlin, warm callee that exists: 100 + 9000; callee receives 1000 + 2300.
        var host = new TestHost(kind, Fork.Berlin).WithCode(s_callee, s_reportGas).WithBalance(TestHost.Contract, 10);
        host.BeginTransaction();
        host.WarmAccount(s_callee);
        var code = Code.New.Call(CALL, 1000, s_callee, 1, 0, 0, 0, 32).Op(STOP);
        var r = host.Run(code, gas: 100_000, beginTransaction: false);
        Assert.Equal(StatusCode.Success, r.Status);
        var child = host.Calls.Single();
        Assert.Equal(1000 + 2300, child.Gas);
        // Caller pays 7 pushes, 100, 9000, memory 3 and the 1000 passed on; it gets back what the callee left of its
        // 3300: the callee used GAS (2) + PUSH, MSTORE with one word, PUSH, PUSH, RETURN (15) = 17.
        Assert.Equal(21 + 100 + 9000 + 3 + 1000 - (3300 - 17), r.Used(100_000));
        Assert.Equal(new UInt256(1), host.GetBalance(s_callee));

        // A value transfer to an account that does not exist adds 25000 (Spurious Dragon+: only with value).
        var empty = Address.Parse("0x00000000000000000000000000000000000e3e3e");
        var h2 = new TestHost(kind, Fork.Cancun).WithBalance(TestHost.Contract, 10);
        h2.BeginTransaction();
        h2.WarmAccount(empty);
        var withValue = h2.Run(Code.New.Call(CALL, 0, empty, 1, 0, 0, 0, 0).Op(STOP), gas: 100_000, beginTransaction: false);
        // 7 pushes + 100 + 9000 + 25000; the empty callee returns its 2300 stipend (and the 0 asked for).
        Assert.Equal(21 + 100 + 9000 + 25000 - 2300, withValue.Used(100_000));
        var h3 = new TestHost(kind, Fork.Cancun);
        h3.BeginTransaction();
        h3.WarmAccount(empty);
        var noValue = h3.Run(Code.New.Call(CALL, 0, empty, 0, 0, 0, 0, 0).Op(STOP), gas: 100_000, beginTransaction: false);
        Assert.Equal(21 + 100, noValue.Used(100_000));
        // Before Spurious Dragon the charge applied to any call to a non-existent account.
        var h4 = new TestHost(kind, Fork.TangerineWhistle);
        var old = h4.Run(Code.New.Call(CALL, 0, empty, 0, 0, 0, 0, 0).Op(STOP), gas: 100_000);
        Assert.Equal(21 + 700 + 25000, old.Used(100_000));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Callee_output_is_copied_and_becomes_return_data(EngineKind kind)
    {
        var calleeCode = Code.New.MStore(0, U("0x1111111111111111111111111111111111111111111111111111111111112222")).Return(16, 16);
        var host = new TestHost(kind, Fork.Cancun).WithCode(s_callee, calleeCode);
        // Output area of 8 bytes at 100: only the first 8 of 16 are copied; RETURNDATASIZE is 16.
        var code = Code.New.Call(CALL, 50_000, s_callee, 0, 0, 0, 100, 8).Op(POP)
            .Op(RETURNDATASIZE).Push(0).Op(MSTORE)
            .Args(32, 0, 16).Op(RETURNDATACOPY)
            .Return(0, 108);
        var r = host.Run(code);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(new UInt256(16), UInt256.ReadBigEndian(r.Output.AsSpan(0, 32)));
        Assert.Equal(Convert.FromHexString("11111111111111111111111111112222"), r.Output.AsSpan(32, 16).ToArray());
        Assert.Equal(Convert.FromHexString("1111111111111111"), r.Output.AsSpan(100, 8).ToArray());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Returndatacopy_out_of_bounds_is_an_exceptional_halt(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun).WithCode(s_callee, Code.New.Return(0, 32));
        Code AfterCall(long offset, long size) => Code.New.Call(CALL, 50_000, s_callee, 0, 0, 0, 0, 0).Op(POP)
            .Args(0, (ulong)offset, (ulong)size).Op(RETURNDATACOPY).Op(STOP);
        Assert.Equal(StatusCode.Success, host.Run(AfterCall(0, 32)).Status);
        Assert.Equal(StatusCode.Success, host.Run(AfterCall(32, 0)).Status);
        Assert.Equal(StatusCode.Success, host.Run(AfterCall(31, 1)).Status);
        var over = host.Run(AfterCall(0, 33));
        Assert.Equal(StatusCode.InvalidMemoryAccess, over.Status);
        Assert.Equal(0, over.GasLeft);
        Assert.Equal(StatusCode.InvalidMemoryAccess, host.Run(AfterCall(1, 32)).Status);
        Assert.Equal(StatusCode.InvalidMemoryAccess, host.Run(AfterCall(33, 0)).Status);
        Assert.Equal(StatusCode.InvalidMemoryAccess, host.Run(Code.New.Args(0, UInt256.MaxValue, 0).Op(RETURNDATACOPY)).Status);
        // Without a call there is no return data: offset 0, size 0 is fine, anything more is not.
        Assert.Equal(StatusCode.Success, host.Run(Code.New.Args(0, 0, 0).Op(RETURNDATACOPY)).Status);
        Assert.Equal(StatusCode.InvalidMemoryAccess, host.Run(Code.New.Args(0, 0, 1).Op(RETURNDATACOPY)).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Failed_and_reverted_calls(EngineKind kind)
    {
        var reverter = Address.Parse("0x00000000000000000000000000000000000bad01");
        var thrower = Address.Parse("0x00000000000000000000000000000000000bad02");
        var host = new TestHost(kind, Fork.Cancun)
            .WithCode(reverter, Code.New.SStore(1, 1).MStore(0, 0xabcd).Return(30, 2).Build().Select(b => b == RETURN ? REVERT : b).ToArray())
            .WithCode(thrower, Code.New.SStore(1, 1).Op(INVALID));
        // Revert: flag 0, its output is the return data, its state change is undone, unused gas comes back.
        var r = host.Run(Code.New.Call(CALL, 100_000, reverter, 0, 0, 0, 0, 0).Op(RETURNDATASIZE).Op(ADD).ReturnTop());
        Assert.Equal(new UInt256(2), r.Word()); // 0 + 2 bytes
        Assert.Equal(UInt256.Zero, host.Storage(reverter, 1));
        // Exceptional halt: flag 0, no return data, all the callee's gas gone.
        var gas = 200_000;
        var t = host.Run(Code.New.Call(CALL, 100_000, thrower, 0, 0, 0, 0, 0).Op(RETURNDATASIZE).Op(ADD).ReturnTop(), gas: gas);
        Assert.Equal(UInt256.Zero, t.Word());
        Assert.True(t.Used(gas) > 100_000);
        Assert.Equal(UInt256.Zero, host.Storage(thrower, 1));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Call_kinds_set_sender_recipient_and_value(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun).WithCode(s_callee, Code.New.Op(STOP)).WithBalance(TestHost.Contract, 100);
        host.Run(Code.New.Call(CALL, 10_000, s_callee, 5, 0, 0, 0, 0)
            .Call(CALLCODE, 10_000, s_callee, 6, 0, 0, 0, 0)
            .Call(DELEGATECALL, 10_000, s_callee, 0, 0, 0, 0, 0)
            .Call(STATICCALL, 10_000, s_callee, 0, 0, 0, 0, 0), value: 9);
        var calls = host.Calls;
        Assert.Equal(4, calls.Count);
        Assert.Equal((CallKind.Call, false, TestHost.Contract, s_callee, s_callee, new UInt256(5)), (calls[0].Kind, calls[0].IsStatic, calls[0].Sender, calls[0].Recipient, calls[0].CodeAddress, calls[0].Value));
        Assert.Equal((CallKind.CallCode, false, TestHost.Contract, TestHost.Contract, s_callee, new UInt256(6)), (calls[1].Kind, calls[1].IsStatic, calls[1].Sender, calls[1].Recipient, calls[1].CodeAddress, calls[1].Value));
        Assert.Equal((CallKind.DelegateCall, false, TestHost.Caller, TestHost.Contract, s_callee, new UInt256(9)), (calls[2].Kind, calls[2].IsStatic, calls[2].Sender, calls[2].Recipient, calls[2].CodeAddress, calls[2].Value));
        Assert.Equal((CallKind.Call, true, TestHost.Contract, s_callee, s_callee, UInt256.Zero), (calls[3].Kind, calls[3].IsStatic, calls[3].Sender, calls[3].Recipient, calls[3].CodeAddress, calls[3].Value));
        Assert.All(calls, c => Assert.Equal(1, c.Depth));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Static_calls_forbid_state_changes_below_them(EngineKind kind)
    {
        var writer = Address.Parse("0x00000000000000000000000000000000000a11a1");
        var host = new TestHost(kind, Fork.Cancun).WithCode(writer, Code.New.SStore(0, 1)).WithBalance(TestHost.Contract, 10);
        var r = host.Run(Code.New.Call(STATICCALL, 50_000, writer, 0, 0, 0, 0, 0).ReturnTop());
        Assert.Equal(UInt256.Zero, r.Word());
        Assert.Equal(UInt256.Zero, host.Storage(writer, 0));
        // In a static frame: CALL with value, CREATE, CREATE2, LOG, SSTORE, SELFDESTRUCT, TSTORE all fail; CALL without value is fine.
        Assert.Equal(StatusCode.StaticModeViolation, host.Run(Code.New.Call(CALL, 0, writer, 1, 0, 0, 0, 0), isStatic: true).Status);
        Assert.Equal(StatusCode.Success, host.Run(Code.New.Call(CALL, 0, writer, 0, 0, 0, 0, 0), isStatic: true).Status);
        Assert.Equal(StatusCode.StaticModeViolation, host.Run(Code.New.Args(0, 0, 0).Op(CREATE), isStatic: true).Status);
        Assert.Equal(StatusCode.StaticModeViolation, host.Run(Code.New.Args(0, 0, 0, 0).Op(CREATE2), isStatic: true).Status);
        // The static flag is inherited by the callee's own calls.
        host.Run(Code.New.Call(STATICCALL, 50_000, writer, 0, 0, 0, 0, 0));
        Assert.True(host.Calls[^1].IsStatic);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Call_at_depth_1024_fails_without_running_and_returns_the_gas(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun).WithCode(s_callee, s_reportGas);
        host.BeginTransaction();
        host.WarmAccount(s_callee);
        byte[] code = Code.New.Call(CALL, 5000, s_callee, 0, 0, 0, 0, 0).ReturnTop();
        var deep = host.Run(code, gas: 100_000, beginTransaction: false);
        var atLimit = new TestHost(kind, Fork.Cancun).WithCode(s_callee, s_reportGas);
        atLimit.BeginTransaction();
        atLimit.WarmAccount(s_callee);
        var r = atLimit.Run(code, gas: 100_000, depth: 1024, beginTransaction: false);
        Assert.Equal(UInt256.Zero, r.Word());
        Assert.Empty(atLimit.Calls);
        // Only the call's own costs: 7 pushes, 100, and the ReturnTop tail (PUSH, MSTORE + 1 word, PUSH, PUSH, RETURN).
        Assert.Equal(21 + 100 + 3 + 3 + 3 + 3 + 3, r.Used(100_000));
        Assert.Equal(UInt256.One, deep.Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Value_above_the_balance_fails_the_call_without_running_it(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun).WithCode(s_callee, s_reportGas).WithBalance(TestHost.Contract, 5);
        var r = host.Run(Code.New.Call(CALL, 5000, s_callee, 6, 0, 0, 0, 0).ReturnTop());
        Assert.Equal(UInt256.Zero, r.Word());
        Assert.Empty(host.Calls);
        Assert.Equal(new UInt256(5), host.GetBalance(TestHost.Contract));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Recursion_reaches_depth_1024_without_overflowing_the_dotnet_stack(EngineKind kind)
    {
        // Each frame increments slot 0 of the contract (via storage shared by all frames: they are the same
        // account) and calls itself with all its gas. Frames at depths 0..1024 run; the one at 1024 cannot call.
        byte[] code = Code.New.Push(0).Op(SLOAD).Push(1).Op(ADD).Push(0).Op(SSTORE)
            .Args(0, 0, 0, 0, 0).Push(TestHost.Contract).Op(GAS).Op(CALL).Build();
        OnLargeStack(() =>
        {
            var host = new TestHost(kind, Fork.Istanbul);
            var r = host.Run(code, gas: long.MaxValue / 4);
            Assert.Equal(StatusCode.Success, r.Status);
            Assert.Equal(new UInt256(1025), host.Storage(TestHost.Contract, 0));
        });
    }
}
