using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Cli.Bench;
using Jevm.Cli.Bench.Programs;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Tests.Bench;

/// <summary>
/// Each embedded program's result against a reference computed here in C# (BigInteger, <see cref="Keccak256"/>, byte
/// arrays), on every available engine.
/// </summary>
public class EmbeddedProgramTests
{
    private static readonly BigInteger Mod256 = BigInteger.One << 256;

    private static BenchOutcome Run(string engine, BenchCase c, Fork fork = Fork.Cancun)
    {
        var o = new BenchExecutor(c, fork).Execute(BenchTestSupport.Engine(engine));
        Assert.Equal(StatusCode.Success, o.Status);
        Assert.Equal(32, o.Output.Length);
        return o;
    }

    private static BigInteger Word(byte[] output) => new(output, isUnsigned: true, isBigEndian: true);

    private static byte[] Be32(BigInteger v)
    {
        var b = new byte[32];
        var raw = (v % Mod256).ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(b, 32 - raw.Length);
        return b;
    }

    // ---- arithmetic ----

    private static BigInteger ArithmeticReference(int n, ulong seed)
    {
        BigInteger x = seed, k = EmbeddedPrograms.ArithmeticMultiplier, p = EmbeddedPrograms.ArithmeticModulus;
        for (int i = 0; i < n; i++)
        {
            x = (x * k + i) % Mod256;
            x -= x / 7;
            x = (x + x * x % p) % Mod256;
            x = (x + BigInteger.ModPow(x, 3, Mod256)) % Mod256;
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Arithmetic_loop_matches_BigInteger(string engine)
    {
        foreach (int n in new[] { 0, 1, 2, 1000 })
            Assert.Equal(ArithmeticReference(n, 0x5eed), Word(Run(engine, EmbeddedPrograms.Arithmetic(n)).Output));
    }

    [Property(MaxTest = 25)]
    public bool Arithmetic_loop_matches_BigInteger_for_any_seed(ulong seed, byte rounds) =>
        ArithmeticReference(rounds % 40, seed) == Word(Run("Interpreter", EmbeddedPrograms.Arithmetic(rounds % 40, seed)).Output);

    // ---- keccak chain ----

    private static byte[] KeccakReference(int n, ulong seed)
    {
        var buf = new byte[32 * (EmbeddedPrograms.KeccakWindowWords + 1)];
        Be32(seed).CopyTo(buf, 0);
        var h = new byte[32];
        for (int i = 0; i < n; i++)
        {
            int len = 32 * (1 + i % EmbeddedPrograms.KeccakWindowWords);
            h = Keccak256.Compute(buf.AsSpan(0, len)).ToBytes();
            h.CopyTo(buf, len);
        }
        return h;
    }

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Keccak_chain_matches_direct_hashing(string engine)
    {
        // 300 rounds wrap the 128-word window twice.
        foreach (int n in new[] { 0, 1, 2, 129, 300 })
            Assert.Equal(KeccakReference(n, 0xc0ffee), Run(engine, EmbeddedPrograms.KeccakChain(n)).Output);
    }

    [Fact]
    public void Keccak_chain_of_one_round_is_the_hash_of_the_seed()
    {
        var seed = new byte[32];
        seed[29] = 0xc0; seed[30] = 0xff; seed[31] = 0xee;
        Assert.Equal(Keccak256.Compute(seed).ToBytes(), Run("Interpreter", EmbeddedPrograms.KeccakChain(1)).Output);
    }

    // ---- memory copy ----

    private static byte[] MemoryReference(int rounds)
    {
        const int half = EmbeddedPrograms.MemoryBufferBytes;
        var mem = new byte[2 * half];
        for (int j = 0; j < 1024; j++) Be32(new BigInteger(j) * EmbeddedPrograms.MemoryInitMultiplier + 1).CopyTo(mem, 32 * j);
        for (int r = 0; r < rounds; r++)
        {
            int src = 1 + (r & 31);
            Array.Copy(mem, src, mem, half, half - 32);
            for (int j = 0; j < 1024; j++)
            {
                var b = new BigInteger(mem.AsSpan(half + 32 * j, 32), isUnsigned: true, isBigEndian: true);
                Be32(b + r).CopyTo(mem, 32 * j);
            }
        }
        return Keccak256.Compute(mem.AsSpan(0, half)).ToBytes();
    }

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Memory_copy_loop_matches_a_byte_array_model(string engine)
    {
        foreach (int n in new[] { 0, 1, 3, 40 })
            Assert.Equal(MemoryReference(n), Run(engine, EmbeddedPrograms.MemoryCopy(n)).Output);
    }

    [Fact]
    public void Memory_copy_loop_needs_Cancun()
    {
        // MCOPY is EIP-5656 (Cancun); before it the opcode is undefined.
        var o = new BenchExecutor(EmbeddedPrograms.MemoryCopy(1), Fork.Shanghai).Execute(BenchTestSupport.Engine("Interpreter"));
        Assert.Equal(StatusCode.UndefinedInstruction, o.Status);
    }

    // ---- storage ----

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Storage_loop_sums_its_slots_and_clears_the_even_ones(string engine)
    {
        const int n = 101;
        var o = Run(engine, EmbeddedPrograms.StorageSlots(n));
        BigInteger sum = 0;
        for (int i = 0; i < n; i++) sum += new BigInteger(i) * EmbeddedPrograms.StorageMultiplier + 1;
        Assert.Equal(sum % Mod256, Word(o.Output));
        for (int i = 0; i < n + 2; i++)
        {
            var expected = i < n && i % 2 == 1 ? UInt256.FromBigInteger(new BigInteger(i) * EmbeddedPrograms.StorageMultiplier + 1) : UInt256.Zero;
            Assert.Equal(expected, o.State.GetStorage(BenchExecutor.CodeAddress, new UInt256((ulong)i)));
        }
        // Clearing a slot set in the same transaction refunds 20000 − 100 (EIP-2200 with EIP-2929's warm cost, EIP-3529).
        Assert.Equal(51 * (20000 - 100), o.Refund);
    }

    // ---- token ----

    private static UInt256 BalanceSlot(Address a)
    {
        var preimage = new byte[64];
        a.ToBytes().CopyTo(preimage, 12); // left-padded address, then slot 0
        return Keccak256.Compute(preimage).Word;
    }

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Token_run_moves_the_expected_balances(string engine)
    {
        const int n = 150;
        var o = Run(engine, EmbeddedPrograms.TokenTransfers(n));
        BigInteger sent = (BigInteger)n * (n + 1) / 2;
        Assert.Equal(EmbeddedPrograms.TokenSupply - sent, Word(o.Output));
        var state = o.State;
        Assert.Equal(UInt256.FromBigInteger(EmbeddedPrograms.TokenSupply - sent), state.GetStorage(BenchExecutor.CodeAddress, BalanceSlot(BenchExecutor.Caller)));
        for (int k = 0; k < EmbeddedPrograms.TokenRecipients; k++)
        {
            BigInteger expected = 0;
            for (int i = k; i < n; i += EmbeddedPrograms.TokenRecipients) expected += i + 1;
            var to = Address.FromNumber(EmbeddedPrograms.TokenFirstRecipient + (ulong)k);
            Assert.Equal(UInt256.FromBigInteger(expected), state.GetStorage(BenchExecutor.CodeAddress, BalanceSlot(to)));
        }
        // One Transfer(address,address,uint256) log per transfer: topics = event signature hash, from, to; data = amount.
        Assert.Equal(n, state.Logs.Count);
        var last = state.Logs[^1];
        Assert.Equal(Keccak256.Compute("Transfer(address,address,uint256)"u8).Word, last.Topics[0]);
        Assert.Equal(BenchExecutor.Caller.ToWord(), last.Topics[1]);
        Assert.Equal(Address.FromNumber(EmbeddedPrograms.TokenFirstRecipient + (n - 1) % 64).ToWord(), last.Topics[2]);
        Assert.Equal(Be32(n), last.Data);
    }

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Token_dispatches_mint_transfer_and_balanceOf(string engine)
    {
        var e = BenchTestSupport.Engine(engine);
        var code = EmbeddedPrograms.TokenCode();
        BenchExecutor Exec(byte[] calldata) => new(new BenchCase("token", code, calldata), Fork.Cancun);
        var alice = BenchExecutor.Caller;
        var bob = Address.FromNumber(0xb0b);
        // Standard ERC-20 selectors (EIP-20): transfer 0xa9059cbb, balanceOf 0x70a08231; mint(address,uint256) 0x40c10f19.
        Assert.Equal(0xa9059cbbu, EmbeddedPrograms.Selector("transfer(address,uint256)"));
        Assert.Equal(0x70a08231u, EmbeddedPrograms.Selector("balanceOf(address)"));
        Assert.Equal(0x40c10f19u, EmbeddedPrograms.Selector("mint(address,uint256)"));

        var state = Exec([]).FreshState();
        Assert.Equal(StatusCode.Success, Exec(EmbeddedPrograms.Call("mint(address,uint256)", Word(alice), 1000)).Execute(e, state).Status);
        var t = Exec(EmbeddedPrograms.Call("transfer(address,uint256)", Word(bob), 300)).Execute(e, state);
        Assert.Equal(StatusCode.Success, t.Status);
        Assert.Equal(BigInteger.One, Word(t.Output));
        Assert.Equal(700, Word(Exec(EmbeddedPrograms.Call("balanceOf(address)", Word(alice))).Execute(e, state).Output));
        Assert.Equal(300, Word(Exec(EmbeddedPrograms.Call("balanceOf(address)", Word(bob))).Execute(e, state).Output));
        // Too large a transfer reverts and changes nothing.
        Assert.Equal(StatusCode.Revert, Exec(EmbeddedPrograms.Call("transfer(address,uint256)", Word(bob), 701)).Execute(e, state).Status);
        Assert.Equal(700, Word(Exec(EmbeddedPrograms.Call("balanceOf(address)", Word(alice))).Execute(e, state).Output));
        // An unknown selector reverts.
        Assert.Equal(StatusCode.Revert, Exec([0xde, 0xad, 0xbe, 0xef]).Execute(e, state).Status);
    }

    private static BigInteger Word(Address a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: true);

    // ---- recursion ----

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Recursion_returns_the_triangular_sums(string engine)
    {
        Assert.Equal(0, Word(Run(engine, EmbeddedPrograms.Recursion(0, 1)).Output));
        Assert.Equal(1, Word(Run(engine, EmbeddedPrograms.Recursion(1, 1)).Output));
        Assert.Equal(5050, Word(Run(engine, EmbeddedPrograms.Recursion(100, 1)).Output));
        Assert.Equal(3 * 55, Word(Run(engine, EmbeddedPrograms.Recursion(10, 3)).Output));
    }

    [Fact]
    public void Recursion_really_nests_calls()
    {
        // Every level pays for its own instructions and keeps 1/64 of what is left (EIP-150), so 20,000 gas carries a
        // chain two calls deep but not 150: the innermost call fails and every level reverts.
        var e = BenchTestSupport.Engine("Interpreter");
        Assert.Equal(StatusCode.Success, new BenchExecutor(EmbeddedPrograms.Recursion(2, 1), Fork.Cancun, gas: 20_000).Execute(e).Status);
        Assert.Equal(StatusCode.Revert, new BenchExecutor(EmbeddedPrograms.Recursion(150, 1), Fork.Cancun, gas: 20_000).Execute(e).Status);
    }

    [Fact]
    public void Default_programs_all_run_on_Cancun()
    {
        Assert.Equal(6, EmbeddedPrograms.All.Count);
        foreach (var c in EmbeddedPrograms.All)
        {
            var o = new BenchExecutor(c, Fork.Cancun).Execute(BenchTestSupport.Engine("Interpreter"));
            Assert.True(o.Status == StatusCode.Success, $"{c.Name}: {o.Status}");
            Assert.InRange(o.GasUsed, 100_000, 100_000_000);
        }
    }
}
