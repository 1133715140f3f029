using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Robustness;

/// <summary>
/// Memory offsets and sizes up to 2^256−1 on every memory-touching instruction and engine: out of gas with all gas
/// consumed (Yellow Paper: memory expansion is charged 3·w + w²/512 before it happens, so such sizes are never
/// affordable), never an allocation attempt, an overflow or an internal error. A zero size never expands memory, whatever
/// the offset; reads past the end of code or call data give zeros.
/// </summary>
public sealed class MemoryLimitTests
{
    private const long Gas = 1_000_000;
    private static readonly Address Identity = Address.Parse("0x0000000000000000000000000000000000000004");

    /// <summary>Offsets and sizes no 1M-gas frame can afford (the smallest, 2^20 bytes, costs over 2M gas).</summary>
    private static readonly UInt256[] s_huge =
    [
        UInt256.MaxValue, UInt256.One << 255, UInt256.One << 128, UInt256.One << 64, new(ulong.MaxValue), new(1UL << 63),
        new(1UL << 32), new((1UL << 32) - 32), new(1UL << 31), new(1UL << 20),
    ];

    public static TheoryData<EngineKind, string> Cases()
    {
        var data = new TheoryData<EngineKind, string>();
        foreach (var k in new[] { EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered })
            foreach (var name in s_programs.Keys) data.Add(k, name);
        return data;
    }

    /// <summary>Each program puts one huge value (v) where an offset or a size goes.</summary>
    private static readonly Dictionary<string, Func<UInt256, Code>> s_programs = new()
    {
        ["MLOAD offset"] = v => Code.New.Args(v).Op(MLOAD),
        ["MSTORE offset"] = v => Code.New.Args(v, 1).Op(MSTORE),
        ["MSTORE8 offset"] = v => Code.New.Args(v, 1).Op(MSTORE8),
        ["CALLDATACOPY dest"] = v => Code.New.Args(v, 0, 1).Op(CALLDATACOPY),
        ["CALLDATACOPY size"] = v => Code.New.Args(0, 0, v).Op(CALLDATACOPY),
        ["CODECOPY dest"] = v => Code.New.Args(v, 0, 1).Op(CODECOPY),
        ["CODECOPY size"] = v => Code.New.Args(0, 0, v).Op(CODECOPY),
        ["EXTCODECOPY dest"] = v => Code.New.Args(TestHost.Contract.ToWord(), v, 0, 1).Op(EXTCODECOPY),
        ["EXTCODECOPY size"] = v => Code.New.Args(TestHost.Contract.ToWord(), 0, 0, v).Op(EXTCODECOPY),
        ["RETURNDATACOPY dest"] = v => WithReturnData().Args(v, 0, 1).Op(RETURNDATACOPY),
        ["RETURNDATACOPY size"] = v => WithReturnData().Args(0, 0, v).Op(RETURNDATACOPY),
        ["RETURNDATACOPY source"] = v => WithReturnData().Args(0, v, 1).Op(RETURNDATACOPY),
        ["MCOPY dest"] = v => Code.New.Args(v, 0, 1).Op(MCOPY),
        ["MCOPY source"] = v => Code.New.Args(0, v, 1).Op(MCOPY),
        ["MCOPY size"] = v => Code.New.Args(0, 0, v).Op(MCOPY),
        ["KECCAK256 offset"] = v => Code.New.Args(v, 1).Op(KECCAK256),
        ["KECCAK256 size"] = v => Code.New.Args(0, v).Op(KECCAK256),
        ["LOG0 offset"] = v => Code.New.Args(v, 1).Op(LOG0),
        ["LOG4 size"] = v => Code.New.Args(0, v, 1, 2, 3, 4).Op(LOG4),
        ["RETURN offset"] = v => Code.New.Args(v, 1).Op(RETURN),
        ["RETURN size"] = v => Code.New.Args(0, v).Op(RETURN),
        ["REVERT offset"] = v => Code.New.Args(v, 1).Op(REVERT),
        ["REVERT size"] = v => Code.New.Args(0, v).Op(REVERT),
        ["CALL args offset"] = v => Code.New.Call(CALL, 0, Identity, 0, v, 1, 0, 0),
        ["CALL args size"] = v => Code.New.Call(CALL, 0, Identity, 0, 0, v, 0, 0),
        ["CALL ret offset"] = v => Code.New.Call(CALL, 0, Identity, 0, 0, 0, v, 1),
        ["CALL ret size"] = v => Code.New.Call(CALL, 0, Identity, 0, 0, 0, 0, v),
        ["CALLCODE args size"] = v => Code.New.Call(CALLCODE, 0, Identity, 0, 0, v, 0, 0),
        ["DELEGATECALL ret size"] = v => Code.New.Call(DELEGATECALL, 0, Identity, 0, 0, 0, 0, v),
        ["STATICCALL args offset"] = v => Code.New.Call(STATICCALL, 0, Identity, 0, v, 1, 0, 0),
        ["CREATE offset"] = v => Code.New.Args(0, v, 1).Op(CREATE),
        ["CREATE size"] = v => Code.New.Args(0, 0, v).Op(CREATE),
        ["CREATE2 size"] = v => Code.New.Args(0, 0, v, 0).Op(CREATE2),
    };

    /// <summary>Leaves 32 bytes of return data: a call to the identity precompile with 32 bytes of input.</summary>
    private static Code WithReturnData() => Code.New.Call(CALL, 1000, Identity, 0, 0, 32, 0, 0).Op(POP);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Huge_offsets_and_sizes_fail_with_all_gas_consumed_and_allocate_nothing(EngineKind kind, string name)
    {
        var host = new TestHost(kind, Fork.Cancun);
        foreach (var v in s_huge)
        {
            byte[] code = s_programs[name](v).Push(1).Op(STOP); // reaching the end would succeed
            host.Run(code, Gas); // warm-up: a JIT compiles here
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = host.Run(code, Gas);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            string what = $"{name} = {v}";
            Assert.True(r.Status is not (StatusCode.Success or StatusCode.Revert or StatusCode.InternalError), $"{what}: {r.Status}");
            if (!name.StartsWith("RETURNDATACOPY source", StringComparison.Ordinal) && !name.StartsWith("CREATE", StringComparison.Ordinal))
                Assert.True(r.Status == StatusCode.OutOfGas, $"{what}: {r.Status}");
            Assert.Equal(0, r.GasLeft);
            Assert.True(allocated < 256 * 1024, $"{what}: allocated {allocated} bytes");
        }
    }

    public static TheoryData<EngineKind, string> ZeroSizeCases()
    {
        var data = new TheoryData<EngineKind, string>();
        foreach (var k in new[] { EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered })
            foreach (var name in s_zeroSize.Keys) data.Add(k, name);
        return data;
    }

    /// <summary>Each program uses offset 2^256−1 with size 0 and leaves nothing on the stack.</summary>
    private static readonly Dictionary<string, Code> s_zeroSize = new()
    {
        ["CALLDATACOPY"] = Code.New.Args(UInt256.MaxValue, UInt256.MaxValue, 0).Op(CALLDATACOPY),
        ["CODECOPY"] = Code.New.Args(UInt256.MaxValue, UInt256.MaxValue, 0).Op(CODECOPY),
        ["EXTCODECOPY"] = Code.New.Args(TestHost.Contract.ToWord(), UInt256.MaxValue, UInt256.MaxValue, 0).Op(EXTCODECOPY),
        ["RETURNDATACOPY"] = Code.New.Args(UInt256.MaxValue, 0, 0).Op(RETURNDATACOPY),
        ["MCOPY"] = Code.New.Args(UInt256.MaxValue, UInt256.MaxValue, 0).Op(MCOPY),
        ["KECCAK256"] = Code.New.Args(UInt256.MaxValue, 0).Op(KECCAK256, POP),
        ["LOG2"] = Code.New.Args(UInt256.MaxValue, 0, 1, 2).Op((byte)(LOG0 + 2)),
        ["CALL"] = Code.New.Call(CALL, 1000, Identity, 0, UInt256.MaxValue, 0, UInt256.MaxValue, 0).Op(POP),
        ["CREATE"] = Code.New.Args(0, UInt256.MaxValue, 0).Op(CREATE, POP),
    };

    [Theory]
    [MemberData(nameof(ZeroSizeCases))]
    public void A_zero_size_at_any_offset_does_not_expand_memory(EngineKind kind, string name)
    {
        // ... then MSIZE is returned: 0.
        byte[] code = Code.New.Raw(s_zeroSize[name].Build()).Op(MSIZE).ReturnTop();
        Assert.Equal(UInt256.Zero, Support.Evm.Run(kind, Fork.Cancun, code).Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Return_and_revert_of_nothing_at_offset_2_256_minus_1_succeed(EngineKind kind)
    {
        var ret = Support.Evm.Run(kind, Fork.Cancun, Code.New.Args(UInt256.MaxValue, 0).Op(RETURN));
        Assert.Equal(StatusCode.Success, ret.Status);
        Assert.Empty(ret.Output);
        var rev = Support.Evm.Run(kind, Fork.Cancun, Code.New.Args(UInt256.MaxValue, 0).Op(REVERT));
        Assert.Equal(StatusCode.Revert, rev.Status);
        Assert.Empty(rev.Output);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Reading_code_and_call_data_at_huge_source_offsets_gives_zeros(EngineKind kind)
    {
        foreach (byte op in new[] { CALLDATACOPY, CODECOPY })
            foreach (var v in s_huge)
            {
                // Fill word 0 with ones, copy 32 bytes from offset v over it, return it: all zero.
                byte[] code = Code.New.MStore(0, UInt256.MaxValue).Args(0, v, 32).Op(op).Push(0).Op(MLOAD).ReturnTop();
                Assert.Equal(UInt256.Zero, Support.Evm.Run(kind, Fork.Cancun, code, input: [1, 2, 3]).Word());
            }
        foreach (var v in s_huge)
        {
            byte[] ext = Code.New.MStore(0, UInt256.MaxValue).Args(TestHost.Contract.ToWord(), 0, v, 32).Op(EXTCODECOPY).Push(0).Op(MLOAD).ReturnTop();
            Assert.Equal(UInt256.Zero, Support.Evm.Run(kind, Fork.Cancun, ext).Word());
            byte[] load = Code.New.Args(v).Op(CALLDATALOAD).ReturnTop();
            Assert.Equal(UInt256.Zero, Support.Evm.Run(kind, Fork.Cancun, load, input: [1, 2, 3]).Word());
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Memory_output_and_logs_are_bounded_by_gas(EngineKind kind)
    {
        // With 30M gas (a block) the largest affordable memory is w words with 3w + w²/512 <= 30M, w = 123,169
        // (3.9 MB): a loop growing memory 1 MiB at a time stops out of gas before 4 MB.
        const long blockGas = 30_000_000;
        var host = new TestHost(kind, Fork.Cancun);
        byte[] grow = Code.New.Push(0).Op(JUMPDEST)                        // offset; the loop starts at pc 2
            .Push(1).Op((byte)(DUP1 + 1), MSTORE8)                                     // mstore8(offset, 1)
            .Push(1 << 20).Op(ADD).Push(2).Op(JUMP).Build();
        var r = host.Run(grow, blockGas);
        Assert.Equal(StatusCode.OutOfGas, r.Status);
        // RETURN of the largest affordable size succeeds and returns exactly that; one word more runs out of gas.
        long words = 0;
        while (3 * (words + 1) + (words + 1) * (words + 1) / 512 + 6 <= blockGas) words++;
        var ok = host.Run(Code.New.Args(0, new UInt256((ulong)(words * 32))).Op(RETURN), blockGas);
        Assert.Equal(StatusCode.Success, ok.Status);
        Assert.Equal(words * 32, ok.Output.Length);
        var over = host.Run(Code.New.Args(0, new UInt256((ulong)((words + 1) * 32))).Op(RETURN), blockGas);
        Assert.Equal(StatusCode.OutOfGas, over.Status);
        // LOG0 data is charged 8 gas a byte on top of memory: 1 MB of log data does not fit in 8M gas.
        var log = host.Run(Code.New.Args(0, 1 << 20).Op(LOG0), 8_000_000);
        Assert.Equal(StatusCode.OutOfGas, log.Status);
        Assert.Empty(host.Logs);
    }
}
