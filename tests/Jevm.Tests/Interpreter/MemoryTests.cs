using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class MemoryTests
{
    // Yellow Paper C_mem(a) = G_memory·a + a²/512 for a words.
    private static long MemCost(long words) => 3 * words + words * words / 512;

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Mstore_charges_the_exact_expansion_cost(EngineKind kind)
    {
        foreach (long offset in new long[] { 0, 1, 31, 32, 0x1000, 100_000, 1_000_000 })
        {
            long gas = 10_000_000;
            var r = Run(kind, Fork.Cancun, Code.New.PushN(4, (ulong)offset).Push(0).Op(SWAP1).Op(MSTORE).Op(STOP), gas: gas);
            long words = (offset + 32 + 31) / 32;
            Assert.Equal(StatusCode.Success, r.Status);
            Assert.Equal(3 + 3 + 3 + 3 + MemCost(words), r.Used(gas));
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Growing_memory_charges_only_the_difference(EngineKind kind)
    {
        // MSTORE at 0 (1 word), then MLOAD at 64 (3 words): C(1) + (C(3) − C(1)) = C(3).
        long gas = 1000;
        var r = Run(kind, Fork.Cancun, Code.New.Push(7).Push(0).Op(MSTORE).Push(64).Op(MLOAD).Op(STOP), gas: gas);
        Assert.Equal(3 + 3 + 3 + 3 + 3 + MemCost(3), r.Used(gas));
        // Re-touching memory already paid for costs nothing extra.
        var again = Run(kind, Fork.Cancun, Code.New.Push(64).Op(MLOAD).Push(0).Op(MLOAD).Op(STOP), gas: gas);
        Assert.Equal(3 + 3 + 3 + 3 + MemCost(3), again.Used(gas));
    }

    [Fact]
    public void Expansion_zeroes_what_an_earlier_use_left_behind()
    {
        // A memory handed back and used again reads zero wherever an expansion exposes it: in steps of a word, of a few
        // words, of hundreds of bytes, up to and past the end of what was used before, and into a new buffer. (Session 16
        // measured clearing as expansions expose bytes, instead of all at once when the memory is handed back: more
        // instructions, no faster; these tests are what such a change must pass.)
        var m = new EvmMemory();
        long gas = 1_000_000;
        void Expand(ulong end) => Assert.True(m.Expand(ref gas, 0, end));
        void AllZero(string when) => Assert.True(m.Span.IndexOfAnyExcept((byte)0) < 0, $"a non-zero byte {when}");
        Expand(1000);
        Expand(1100); // 1,120 bytes in a buffer of 2,048
        m.Span.Fill(0xff);
        m.Reset();
        Assert.Equal(0, m.Size);
        // Steps of a word, a few words, hundreds of bytes; then one across the mark (1,120) within the buffer, one past it.
        foreach (ulong end in new ulong[] { 1, 40, 200, 600, 990, 1500, 2000 })
        {
            Expand(end);
            AllZero($"after growing to {end}");
        }
        m.Span.Fill(0xaa);
        m.Reset();
        Expand(1500); // one step over most of it
        AllZero("after one large step");
        m.Span[..64].Fill(0x55);
        m.Reset();
        Expand(200_000); // past the buffer's capacity: a new buffer
        AllZero("in a new buffer");
        Assert.Equal(200_000, m.Size);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Memory_reads_zero_after_another_execution_filled_it(EngineKind kind)
    {
        // The second execution runs on the frame (and memory) the first gave back: every byte its MLOADs expose, in
        // steps of one word, a few words, hundreds of bytes, up to the end of what the first wrote (4,032 bytes) and
        // past it, is zero.
        var ones = U("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
        var fill = Code.New;
        for (int offset = 0; offset <= 2048; offset += 32) fill.MStore(offset, ones);
        fill.MStore(4000, ones).Op(STOP);
        Assert.Equal(StatusCode.Success, Run(kind, Fork.Cancun, fill).Status);
        var read = Code.New;
        // A JUMPDEST after each read, so that a compiler cannot merge the expansions of one block into one.
        foreach (int offset in new[] { 0, 40, 700, 2100, 4000, 5000 }) read.Push(offset).Op(MLOAD, POP, JUMPDEST);
        read.Op(MSIZE).Push(0).Op(KECCAK256).ReturnTop();
        Assert.Equal(Keccak256.Compute(new byte[5056]).Word, Run(kind, Fork.Cancun, read).Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Mstore_mload_mstore8_round_trip(EngineKind kind)
    {
        var v = U("0x0102030405060708091011121314151617181920212223242526272829303132");
        Assert.Equal(v, Run(kind, Fork.Cancun, Code.New.MStore(5, v).Push(5).Op(MLOAD).ReturnTop()).Word());
        // MSTORE8 writes the low byte only.
        var b = Run(kind, Fork.Cancun, Code.New.Push(0x1234).Push(0).Op(MSTORE8).Push(0).Op(MLOAD).ReturnTop()).Word();
        Assert.Equal(U("0x3400000000000000000000000000000000000000000000000000000000000000"), b);
    }

    public static TheoryData<EngineKind, byte, string> HugeAccesses()
    {
        var data = new TheoryData<EngineKind, byte, string>();
        foreach (var kind in TestEngines.All)
        {
            data.Add(kind, MLOAD, "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
            data.Add(kind, MLOAD, "0x10000000000000000");
            data.Add(kind, MLOAD, "0xffffffffffffffff");
            data.Add(kind, MLOAD, "0xffffffe0");
            data.Add(kind, MSTORE, "0x8000000000000000000000000000000000000000000000000000000000000000");
            data.Add(kind, MSTORE8, "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
            data.Add(kind, MSTORE8, "0xffffffffffffffff");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HugeAccesses))]
    public void Huge_offsets_run_out_of_gas_without_allocating(EngineKind kind, byte op, string offset)
    {
        var code = op == MLOAD ? Code.New.Push(U(offset)).Op(op) : Code.New.Push(1).Push(U(offset)).Op(op);
        var r = Run(kind, Fork.Cancun, code, gas: 30_000_000);
        Assert.Equal(StatusCode.OutOfGas, r.Status);
        Assert.Equal(0, r.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Huge_sizes_run_out_of_gas(EngineKind kind)
    {
        var max = UInt256.MaxValue;
        var big = U("0x8000000000000000000000000000000000000000000000000000000000000000");
        foreach (var op in new[] { CALLDATACOPY, CODECOPY, MCOPY })
        {
            Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, 0, max).Op(op)).Status);
            Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, 0, big).Op(op)).Status);
            Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(max, 0, 1).Op(op)).Status);
        }
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, max).Op(KECCAK256)).Status);
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(max, 1).Op(KECCAK256)).Status);
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, max).Op(RETURN)).Status);
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, max).Op(REVERT)).Status);
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, max).Op(0xa0)).Status);
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, 0, max).Op(RETURNDATACOPY)).Status);
        Assert.Equal(StatusCode.OutOfGas, Run(kind, Fork.Cancun, Code.New.Args(0, 0, max).Op(CREATE)).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Zero_sized_accesses_never_expand_memory(EngineKind kind)
    {
        var max = UInt256.MaxValue;
        long gas = 1000;
        // CALLDATACOPY/CODECOPY/MCOPY/RETURNDATACOPY with size 0 at an absurd offset: base cost only, MSIZE stays 0.
        foreach (var op in new[] { CALLDATACOPY, CODECOPY, MCOPY, RETURNDATACOPY })
        {
            var r = Run(kind, Fork.Cancun, Code.New.Args(max, 0, 0).Op(op).Op(MSIZE).ReturnTop(), gas: gas);
            Assert.Equal(UInt256.Zero, r.Word());
        }
        var gasOnly = Run(kind, Fork.Cancun, Code.New.Args(max, 0, 0).Op(CALLDATACOPY).Op(STOP), gas: gas);
        Assert.Equal(3 * 3 + 3, gasOnly.Used(gas));
        // KECCAK256 of nothing at an absurd offset is the hash of the empty string, for 30 gas.
        var h = Run(kind, Fork.Cancun, Code.New.Args(max, 0).Op(KECCAK256).ReturnTop());
        Assert.Equal(Keccak256.OfEmpty.Word, h.Word());
        // RETURN and REVERT with size 0 at an absurd offset return nothing.
        var ret = Run(kind, Fork.Cancun, Code.New.Args(max, 0).Op(RETURN), gas: gas);
        Assert.Equal(StatusCode.Success, ret.Status);
        Assert.Empty(ret.Output);
        Assert.Equal(6, ret.Used(gas));
        var rev = Run(kind, Fork.Cancun, Code.New.Args(max, 0).Op(REVERT), gas: gas);
        Assert.Equal(StatusCode.Revert, rev.Status);
        Assert.Equal(gas - 6, rev.GasLeft);
        // LOG0 with no data at an absurd offset: 375.
        var log = Run(kind, Fork.Cancun, Code.New.Args(max, 0).Op(0xa0).Op(STOP), gas: gas);
        Assert.Equal(6 + 375, log.Used(gas));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Keccak256_hashes_memory_and_charges_per_word(EngineKind kind)
    {
        // keccak256("") and keccak256 of 32 zero bytes / one 0x01 byte, well-known digests.
        Assert.Equal(U("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), Run(kind, Fork.Cancun, Code.New.Args(0, 0).Op(KECCAK256).ReturnTop()).Word());
        Assert.Equal(U("0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563"), Run(kind, Fork.Cancun, Code.New.Args(0, 32).Op(KECCAK256).ReturnTop()).Word());
        long gas = 1000;
        // 33 bytes = 2 words: 30 + 2 × 6, plus expansion to 2 words.
        var r = Run(kind, Fork.Cancun, Code.New.Args(0, 33).Op(KECCAK256).Op(STOP), gas: gas);
        Assert.Equal(6 + 30 + 12 + MemCost(2), r.Used(gas));
    }

    // execution-spec-tests' EIP-5656 cases (dst, src, length).
    public static TheoryData<EngineKind, int, int, int> McopyCases()
    {
        var data = new TheoryData<EngineKind, int, int, int>();
        (int, int, int)[] cases = [(0, 0, 0), (0, 0, 1), (0, 0, 0x20), (1, 0, 1), (1, 0, 0x20), (0x11, 0x11, 1), (0x11, 0x11, 0x20),
            (0x11, 0x11, 0x40), (0x10, 0, 0x40), (0, 0x10, 0x40), (0x0f, 0x10, 0x40), (0x100, 1, 1), (0x100, 1, 0x20), (0x100, 1, 0x1f),
            (0x100, 1, 0x21), (0, 0, 0x100), (0x100, 0, 0x100), (0x200, 0, 0x100), (0, 0x100, 0x100), (0x100, 0x100, 1)];
        foreach (var kind in TestEngines.All)
            foreach (var (d, s, l) in cases) data.Add(kind, d, s, l);
        return data;
    }

    [Theory]
    [MemberData(nameof(McopyCases))]
    public void Mcopy_copies_like_memmove_and_charges_copy_and_expansion(EngineKind kind, int dst, int src, int length)
    {
        // Initial memory: 0x00..0xff in the first 256 bytes (8 MSTOREs of counting bytes).
        var init = Code.New;
        var expected = new byte[0x400];
        for (int w = 0; w < 8; w++)
        {
            var word = new byte[32];
            for (int i = 0; i < 32; i++) word[i] = (byte)(w * 32 + i);
            word.CopyTo(expected, w * 32);
            init.MStore(w * 32, UInt256.ReadBigEndian(word));
        }
        var before = Run(kind, Fork.Cancun, Code.New.Raw(init.Build()).Op(STOP), gas: 100_000);
        long gasBefore = before.Used(100_000);

        var copy = new byte[length];
        Array.Copy(expected, src, copy, 0, length);
        copy.CopyTo(expected, dst);
        long sizeBefore = 256, sizeAfter = length == 0 ? 256 : Math.Max(256, ((Math.Max(dst, src) + length + 31) / 32) * 32);

        var code = Code.New.Raw(init.Build()).Args((ulong)dst, (ulong)src, (ulong)length).Op(MCOPY).Op(STOP);
        var r = Run(kind, Fork.Cancun, code, gas: 100_000);
        Assert.Equal(StatusCode.Success, r.Status);
        long mcopyCost = 3 + 3 * ((length + 31) / 32) + MemCost(sizeAfter / 32) - MemCost(sizeBefore / 32);
        Assert.Equal(gasBefore + 9 + mcopyCost, r.Used(100_000));

        var dump = Run(kind, Fork.Cancun, Code.New.Raw(init.Build()).Args((ulong)dst, (ulong)src, (ulong)length).Op(MCOPY).Return(0, (ulong)sizeAfter), gas: 100_000);
        Assert.Equal(expected.AsSpan(0, (int)sizeAfter).ToArray(), dump.Output);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Calldata_and_code_reads_are_zero_padded(EngineKind kind)
    {
        byte[] input = [1, 2, 3];
        Assert.Equal(U("0x0203000000000000000000000000000000000000000000000000000000000000"), Run(kind, Fork.Cancun, Code.New.Push(1).Op(CALLDATALOAD).ReturnTop(), input: input).Word());
        Assert.Equal(UInt256.Zero, Run(kind, Fork.Cancun, Code.New.Push(UInt256.MaxValue).Op(CALLDATALOAD).ReturnTop(), input: input).Word());
        Assert.Equal(new UInt256(3), Run(kind, Fork.Cancun, Code.New.Op(CALLDATASIZE).ReturnTop(), input: input).Word());
        var copied = Run(kind, Fork.Cancun, Code.New.Args(0, 1, 4).Op(CALLDATACOPY).Return(0, 5), input: input);
        Assert.Equal(new byte[] { 2, 3, 0, 0, 0 }, copied.Output);

        byte[] code = Code.New.Args(0, 0, 40).Op(CODECOPY).Return(0, 40);
        var cc = Run(kind, Fork.Cancun, code);
        Assert.Equal(code.Concat(new byte[40 - code.Length]).ToArray(), cc.Output);
        byte[] sizeCode = Code.New.Op(CODESIZE).ReturnTop();
        Assert.Equal(new UInt256((ulong)sizeCode.Length), Run(kind, Fork.Cancun, sizeCode).Word());
    }
}
