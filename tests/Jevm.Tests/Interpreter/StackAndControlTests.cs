using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class StackAndControlTests
{
    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Simple_program_costs_its_base_gas_in_every_fork(EngineKind kind)
    {
        foreach (var fork in Enum.GetValues<Fork>())
        {
            var r = Run(kind, fork, Code.New.Push(1).Push(2).Op(ADD).Op(POP).Op(STOP), gas: 100);
            Assert.Equal(StatusCode.Success, r.Status);
            Assert.Equal(3 + 3 + 3 + 2, r.Used(100)); // PUSH1, PUSH1, ADD (very low), POP (base)
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Running_off_the_end_of_the_code_is_STOP(EngineKind kind)
    {
        var r = Run(kind, Fork.Cancun, Code.New.Push(1), gas: 10);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(7, r.GasLeft);
        Assert.Empty(r.Output);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Empty_code_succeeds_with_all_gas(EngineKind kind)
    {
        var r = Run(kind, Fork.Cancun, [], gas: 1234);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(1234, r.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Out_of_gas_consumes_everything(EngineKind kind)
    {
        var r = Run(kind, Fork.Cancun, Code.New.Push(1).Push(2).Op(ADD), gas: 8);
        Assert.Equal(StatusCode.OutOfGas, r.Status);
        Assert.Equal(0, r.GasLeft);
        Assert.Equal(0, r.GasRefund);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Stack_holds_1024_items_and_overflows_at_1025(EngineKind kind)
    {
        var full = Code.New;
        for (int i = 0; i < 1024; i++) full.Push(1);
        Assert.Equal(StatusCode.Success, Run(kind, Fork.Cancun, full.Build()).Status);

        var over = Code.New;
        for (int i = 0; i < 1025; i++) over.Push(1);
        var r = Run(kind, Fork.Cancun, over.Build());
        Assert.Equal(StatusCode.StackOverflow, r.Status);
        Assert.Equal(0, r.GasLeft);

        // DUP at a full stack overflows too; SWAP (no growth) does not.
        var dup = Code.New;
        for (int i = 0; i < 1024; i++) dup.Push(1);
        Assert.Equal(StatusCode.StackOverflow, Run(kind, Fork.Cancun, dup.Op(DUP1).Build()).Status);
        var swap = Code.New;
        for (int i = 0; i < 1024; i++) swap.Push(1);
        Assert.Equal(StatusCode.Success, Run(kind, Fork.Cancun, swap.Op(SWAP16).Build()).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Stack_underflow_fails(EngineKind kind)
    {
        Assert.Equal(StatusCode.StackUnderflow, Run(kind, Fork.Cancun, Code.New.Op(ADD)).Status);
        Assert.Equal(StatusCode.StackUnderflow, Run(kind, Fork.Cancun, Code.New.Push(1).Op(ADD)).Status);
        Assert.Equal(StatusCode.StackUnderflow, Run(kind, Fork.Cancun, Code.New.Op(POP)).Status);
        var fifteen = Code.New;
        for (int i = 0; i < 15; i++) fifteen.Push(i);
        Assert.Equal(StatusCode.StackUnderflow, Run(kind, Fork.Cancun, fifteen.Op(DUP16).Build()).Status);
        var sixteen = Code.New;
        for (int i = 0; i < 16; i++) sixteen.Push(i);
        Assert.Equal(StatusCode.Success, Run(kind, Fork.Cancun, Code.New.Raw(sixteen.Build()).Op(DUP16).Build()).Status);
        Assert.Equal(StatusCode.StackUnderflow, Run(kind, Fork.Cancun, sixteen.Op(SWAP16).Build()).Status);
        var r = Run(kind, Fork.Cancun, Code.New.Push(0).Push(0).Push(0).Push(0).Push(0).Push(0).Op(CALL));
        Assert.Equal(StatusCode.StackUnderflow, r.Status);
        Assert.Equal(0, r.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Dup_and_swap_pick_the_right_items(EngineKind kind)
    {
        var c = Code.New;
        for (int i = 1; i <= 17; i++) c.Push(i); // 17 on top
        Assert.Equal(new UInt256(2), Run(kind, Fork.Cancun, Code.New.Raw(c.Build()).Op(DUP16).ReturnTop()).Word());
        Assert.Equal(new UInt256(17), Run(kind, Fork.Cancun, Code.New.Raw(c.Build()).Op(DUP1).ReturnTop()).Word());
        Assert.Equal(new UInt256(1), Run(kind, Fork.Cancun, Code.New.Raw(c.Build()).Op(SWAP16).ReturnTop()).Word());
        Assert.Equal(new UInt256(16), Run(kind, Fork.Cancun, Code.New.Raw(c.Build()).Op(SWAP1).ReturnTop()).Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Undefined_and_invalid_opcodes_consume_all_gas(EngineKind kind)
    {
        var undefined = Run(kind, Fork.Cancun, Code.New.Op(0x0c), gas: 1000);
        Assert.Equal(StatusCode.UndefinedInstruction, undefined.Status);
        Assert.Equal(0, undefined.GasLeft);
        var invalid = Run(kind, Fork.Cancun, Code.New.Op(INVALID), gas: 1000);
        Assert.Equal(StatusCode.InvalidInstruction, invalid.Status);
        Assert.Equal(0, invalid.GasLeft);
        // Opcodes added by later forks are undefined before them.
        Assert.Equal(StatusCode.UndefinedInstruction, Run(kind, Fork.Paris, Code.New.Op(PUSH0)).Status);
        Assert.Equal(StatusCode.UndefinedInstruction, Run(kind, Fork.Frontier, Code.New.Push(0).Push(0).Op(REVERT)).Status);
        Assert.Equal(StatusCode.UndefinedInstruction, Run(kind, Fork.Shanghai, Code.New.Push(0).Op(TLOAD)).Status);
        Assert.Equal(StatusCode.UndefinedInstruction, Run(kind, Fork.Berlin, Code.New.Op(BASEFEE)).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Push0_pushes_zero_for_2_gas(EngineKind kind)
    {
        var r = Run(kind, Fork.Shanghai, Code.New.Op(PUSH0).ReturnTop());
        Assert.Equal(UInt256.Zero, r.Word());
        var g = Run(kind, Fork.Shanghai, Code.New.Op(PUSH0).Op(STOP), gas: 10);
        Assert.Equal(2, g.Used(10));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Push_reads_big_endian_immediates_of_every_width(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun);
        var rng = new Random(7);
        for (int n = 1; n <= 32; n++)
        {
            var bytes = new byte[n];
            rng.NextBytes(bytes);
            bytes[0] |= 1;
            var expected = UInt256.ReadBigEndianPadded(bytes);
            var r = host.Run(Code.New.Op((byte)(PUSH1 + n - 1)).Raw(bytes).ReturnTop());
            Assert.Equal(expected, r.Word());
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Truncated_push_at_the_end_is_zero_padded(EngineKind kind)
    {
        // PUSH2 0x01 with the second byte missing pushes 0x0100; PUSH32 with 2 bytes pushes them followed by 30 zeros.
        var tracer = new RecordingTracer();
        var host = new TestHost(kind, Fork.Cancun, tracer);
        var r = host.Run(Code.New.Raw(0x61, 0x01));
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal([new UInt256(0x0100)], tracer.Steps[^1].Stack);

        tracer.Steps.Clear();
        host.Run(Code.New.Raw(0x7f, 0xab, 0xcd));
        Assert.Equal([U("0xabcd000000000000000000000000000000000000000000000000000000000000")], tracer.Steps[^1].Stack);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Jumps_go_only_to_JUMPDEST_instructions(EngineKind kind)
    {
        // PUSH1 4, JUMP, INVALID, JUMPDEST(4), PUSH1 42, return
        var good = Code.New.Push(4).Op(JUMP).Op(INVALID).Op(JUMPDEST).Push(42).ReturnTop();
        Assert.Equal(new UInt256(42), Run(kind, Fork.Cancun, good).Word());
        // gas: PUSH1 3 + JUMP 8 + JUMPDEST 1
        Assert.Equal(3 + 8 + 1, Run(kind, Fork.Cancun, Code.New.Push(4).Op(JUMP).Op(INVALID).Op(JUMPDEST).Op(STOP), gas: 100).Used(100));

        // To a byte that is not JUMPDEST.
        var bad = Run(kind, Fork.Cancun, Code.New.Push(2).Op(JUMP).Op(JUMPDEST), gas: 100);
        Assert.Equal(StatusCode.BadJumpDestination, bad.Status);
        Assert.Equal(0, bad.GasLeft);
        // Into PUSH data that happens to be 0x5b.
        Assert.Equal(StatusCode.BadJumpDestination, Run(kind, Fork.Cancun, Code.New.Push(4).Op(JUMP).Raw(0x61, 0x5b, 0x5b)).Status);
        // Past the end, and far past (a 256-bit destination).
        Assert.Equal(StatusCode.BadJumpDestination, Run(kind, Fork.Cancun, Code.New.Push(100).Op(JUMP)).Status);
        Assert.Equal(StatusCode.BadJumpDestination, Run(kind, Fork.Cancun, Code.New.Push(UInt256.MaxValue).Op(JUMP)).Status);
        Assert.Equal(StatusCode.BadJumpDestination, Run(kind, Fork.Cancun, Code.New.Push(U("0x10000000000000004")).Op(JUMP).Op(INVALID).Op(JUMPDEST)).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Jumpi_jumps_only_when_the_condition_is_nonzero(EngineKind kind)
    {
        // PUSH32 cond, PUSH1 dest, JUMPI, (return 1), JUMPDEST, (return 2)
        byte[] fallThrough = Code.New.Push(1).ReturnTop();
        int dest = 33 + 2 + 1 + fallThrough.Length;
        Code Prog(UInt256 cond) => Code.New.PushN(32, cond).Push(dest).Op(JUMPI).Raw(fallThrough).Op(JUMPDEST).Push(2).ReturnTop();
        Assert.Equal(JUMPDEST, Prog(0).Build()[dest]);
        Assert.Equal(new UInt256(1), Run(kind, Fork.Cancun, Prog(0)).Word());
        Assert.Equal(new UInt256(2), Run(kind, Fork.Cancun, Prog(1)).Word());
        Assert.Equal(new UInt256(2), Run(kind, Fork.Cancun, Prog(U("0x100000000000000000000000000000000"))).Word());
        // A bad destination does not matter when the jump is not taken.
        Assert.Equal(new UInt256(7), Run(kind, Fork.Cancun, Code.New.Push(0).Push(UInt256.MaxValue).Op(JUMPI).Push(7).ReturnTop()).Word());
        Assert.Equal(StatusCode.BadJumpDestination, Run(kind, Fork.Cancun, Code.New.Push(1).Push(UInt256.MaxValue).Op(JUMPI).Push(7).ReturnTop()).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Pc_gas_and_msize(EngineKind kind)
    {
        Assert.Equal(new UInt256(3), Run(kind, Fork.Cancun, Code.New.Op(JUMPDEST, JUMPDEST, JUMPDEST, PC).ReturnTop()).Word());
        // GAS pushes what is left after its own base cost: 100 − 2.
        Assert.Equal(new UInt256(98), Run(kind, Fork.Cancun, Code.New.Op(GAS).ReturnTop(), gas: 100).Word());
        Assert.Equal(new UInt256(0), Run(kind, Fork.Cancun, Code.New.Op(MSIZE).ReturnTop()).Word());
        Assert.Equal(new UInt256(32), Run(kind, Fork.Cancun, Code.New.Push(1).Push(31).Op(MSTORE8).Op(MSIZE).ReturnTop()).Word());
        Assert.Equal(new UInt256(64), Run(kind, Fork.Cancun, Code.New.Push(1).Push(32).Op(MSTORE8).Op(MSIZE).ReturnTop()).Word());
    }
}
