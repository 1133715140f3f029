using System.Numerics;
using FsCheck.Xunit;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Osaka;

/// <summary>
/// Osaka (Fusaka) EIPs checked against values worked out by hand from the EIP texts: EIP-7939 CLZ on every engine,
/// EIP-7823 modexp bounds, EIP-7883 modexp pricing, EIP-7825 transaction gas cap, EIP-7918 blob reserve price.
/// </summary>
public class OsakaEipTests
{
    // ---- EIP-7939 CLZ: the number of leading zero bits of the 256-bit word, 256 for zero; gas 5 ----

    public static TheoryData<EngineKind, string, int> ClzCases()
    {
        var cases = new (string Value, int Expected)[]
        {
            ("0x0", 256),
            ("0x1", 255),
            ("0x2", 254),
            ("0xff", 248),
            ("0xffffffffffffffffffffffffffffffff", 128),       // 2^128 − 1
            ("0x100000000000000000000000000000000", 127),      // 2^128
            ("0x10000000000000000", 191),                      // 2^64: the first bit of the second limb
            ("0xffffffffffffffff", 192),                       // 2^64 − 1
            ("0x4000000000000000000000000000000000000000000000000000000000000000", 1), // 2^254
            ("0x8000000000000000000000000000000000000000000000000000000000000000", 0), // 2^255
            ("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 0),
        };
        var data = new TheoryData<EngineKind, string, int>();
        foreach (ITheoryDataRow row in TestEngines.All)
            foreach (var (v, e) in cases)
                data.Add((EngineKind)row.GetData()[0]!, v, e);
        return data;
    }

    [Theory]
    [MemberData(nameof(ClzCases))]
    public void Clz_counts_leading_zero_bits(EngineKind engine, string value, int expected)
    {
        var code = Code.New.PushN(32, UInt256.Parse(value)).Op(CLZ).ReturnTop().Build();
        var r = Support.Evm.Run(engine, Fork.Osaka, code);
        Assert.Equal(new UInt256((ulong)expected), r.Word());
        // PUSH32 3 + CLZ 5 + PUSH1 3 + MSTORE 3 (+3 for one word of memory) + PUSH1 3 + PUSH1 3 + RETURN 0.
        Assert.Equal(3L + 5 + 3 + 3 + 3 + 3 + 3, r.Used());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Clz_is_undefined_before_osaka(EngineKind engine)
    {
        var code = Code.New.Push(1).Op(CLZ).ReturnTop().Build();
        var r = Support.Evm.Run(engine, Fork.Prague, code);
        Assert.False(r.IsSuccess);
        Assert.Equal(0, r.GasLeft); // an undefined instruction consumes all gas
    }

    [Fact]
    public void Clz_constant_folds_to_the_same_values()
    {
        // The engines fold constant CLZ operands: a PUSH–CLZ pair must give the same answer as run at runtime.
        var input = UInt256.One << 200;
        var code = Code.New.PushN(32, input).Op(CLZ).ReturnTop().Build();
        foreach (ITheoryDataRow row in TestEngines.All)
            Assert.Equal(new UInt256(55), Support.Evm.Run((EngineKind)row.GetData()[0]!, Fork.Osaka, code).Word());
    }

    // ---- EIP-7823: each of base, exponent and modulus length at most 1024 bytes from Osaka ----

    private static byte[] ModExpInput(ulong baseLen, ulong expLen, ulong modLen, byte[]? tail = null)
    {
        var input = new byte[96 + (tail?.Length ?? 0)];
        new UInt256(baseLen).WriteBigEndian(input.AsSpan(0, 32));
        new UInt256(expLen).WriteBigEndian(input.AsSpan(32, 32));
        new UInt256(modLen).WriteBigEndian(input.AsSpan(64, 32));
        tail?.CopyTo(input, 96);
        return input;
    }

    [Theory]
    [InlineData(1024UL, 1UL, 1024UL, true)]
    [InlineData(1025UL, 1UL, 1UL, false)]
    [InlineData(1UL, 1025UL, 1UL, false)]
    [InlineData(1UL, 1UL, 1025UL, false)]
    [InlineData(1024UL, 1024UL, 1024UL, true)]
    public void Modexp_lengths_above_1024_fail_in_osaka(ulong baseLen, ulong expLen, ulong modLen, bool ok)
    {
        var input = ModExpInput(baseLen, expLen, modLen);
        Assert.Equal(ok, ModExpPrecompile.Instance.TryRun(input, Fork.Osaka, out _));
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Prague, out var output)); // no bound before Osaka
        Assert.Equal((int)modLen, output.Length);
    }

    // ---- EIP-7883 pricing: complexity 16 up to 32 bytes, else 2·words²; iterations with 16 per exponent byte
    //      beyond 32; no division; minimum 500 ----

    [Fact]
    public void Modexp_small_operands_cost_the_500_minimum()
    {
        // 1-byte base/exponent/modulus, exponent 3: complexity 16, iterations max(bitlen(3) − 1, 1) = 1 → 16 → 500.
        var input = ModExpInput(1, 1, 1, [2, 3, 5]);
        Assert.Equal(500L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Osaka));
        // EIP-2565 for the same input: words 1, 1·1/3 = 0 → its minimum 200.
        Assert.Equal(200L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Prague));
    }

    [Fact]
    public void Modexp_64_byte_operands_with_a_256_bit_exponent()
    {
        // base 64, exponent 32 bytes = 2^255, modulus 64: words 8, complexity 2·64 = 128, iterations 255 → 32640.
        var tail = new byte[64 + 32 + 64];
        tail[64] = 0x80;
        var input = ModExpInput(64, 32, 64, tail);
        Assert.Equal(128L * 255, ModExpPrecompile.Instance.RequiredGas(input, Fork.Osaka));
        Assert.Equal(64L * 255 / 3, ModExpPrecompile.Instance.RequiredGas(input, Fork.Prague)); // EIP-2565: 5440
    }

    [Fact]
    public void Modexp_long_exponent_counts_16_per_byte_beyond_32()
    {
        // base 33 bytes, exponent 40 bytes whose first 32 read as 1, modulus 1: max length 33 → words 5, complexity
        // 2·25 = 50; iterations 16·(40 − 32) + bitlen(1) − 1 = 128 → 6400. EIP-2565: 25 · (8·8 + 0) / 3 = 533.
        var tail = new byte[33 + 40 + 1];
        tail[33 + 31] = 1;
        var input = ModExpInput(33, 40, 1, tail);
        Assert.Equal(6400L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Osaka));
        Assert.Equal(533L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Prague));
    }

    [Property(MaxTest = 200)]
    public bool Modexp_osaka_price_is_the_eip_formula(byte baseLen, byte modLen, byte expLen, ulong expHead)
    {
        // The EIP's Python in BigInteger, on random lengths up to 255 and an exponent whose leading 8 bytes are random.
        var tail = new byte[baseLen + expLen + modLen];
        var expBytes = new byte[expLen];
        for (int i = 0; i < Math.Min(8, (int)expLen); i++) expBytes[i] = (byte)(expHead >> (56 - 8 * i));
        expBytes.CopyTo(tail, baseLen);
        var input = ModExpInput(baseLen, expLen, modLen, tail);

        BigInteger maxLen = Math.Max(baseLen, modLen);
        BigInteger words = (maxLen + 7) / 8;
        BigInteger complexity = maxLen > 32 ? 2 * words * words : 16;
        var head = new BigInteger(expBytes.AsSpan(0, Math.Min(32, (int)expLen)), isUnsigned: true, isBigEndian: true);
        BigInteger bitLen = head.IsZero ? 0 : (BigInteger)(head.GetBitLength());
        // bit_length(head) − 1, taken as 0 for a zero head: the EIP's Python would give −1 for a long exponent with a
        // zero head, but every client and execution-specs clamp it at 0 (as EIP-2565 pricing already does).
        BigInteger iterations = (expLen <= 32 ? 0 : 16 * (expLen - 32)) + (head.IsZero ? 0 : bitLen - 1);
        if (iterations < 1) iterations = 1;
        var expected = BigInteger.Max(500, complexity * iterations);
        return expected == ModExpPrecompile.Instance.RequiredGas(input, Fork.Osaka);
    }

    // ---- EIP-7825: a transaction gas limit above 2^24 = 16,777,216 is invalid from Osaka ----

    private static (WorldState, BlockEnvironment) Funded(Address sender)
    {
        var state = new WorldState();
        state.SetAccount(sender, 0, UInt256.Parse("0xffffffffffffffffffff"), []);
        var block = new BlockEnvironment { GasLimit = 60_000_000, BaseFee = 7, Coinbase = Address.FromNumber(0xc0) };
        return (state, block);
    }

    [Theory]
    [InlineData(Fork.Osaka, 16_777_216L, null)]
    [InlineData(Fork.Osaka, 16_777_217L, "TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM")]
    [InlineData(Fork.Prague, 16_777_217L, null)]
    [InlineData(Fork.Osaka, 30_000_000L, "TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM")]
    public void Transaction_gas_limit_cap(Fork fork, long gasLimit, string? error)
    {
        var sender = Address.FromNumber(0x5e);
        var (state, block) = Funded(sender);
        var tx = new Transaction { Type = 2, Sender = sender, To = Address.FromNumber(0x70), GasLimit = gasLimit, MaxFeePerGas = 10, MaxPriorityFeePerGas = 1 };
        Assert.Equal(error, TransactionProcessor.Validate(state, tx, block, fork));
    }

    // ---- EIP-7918: blob base fee bounded by BLOB_BASE_COST (2^13) · base fee, through calc_excess_blob_gas ----

    private const ulong Blob = 131072; // GAS_PER_BLOB

    [Theory]
    // Prague (EIP-7691 target 6, max 9): excess + used − target, or 0 below target; the base fee does not matter.
    [InlineData(Fork.Prague, 0UL, 6 * Blob, 1000UL, 0UL)]
    [InlineData(Fork.Prague, 0UL, 9 * Blob, 1000UL, 3 * Blob)]
    [InlineData(Fork.Prague, 0UL, 5 * Blob, 1000UL, 0UL)]
    // Osaka, base fee 16: 8192·16 = 131072 is not above 131072 · blob base fee 1 → the EIP-4844 rule.
    [InlineData(Fork.Osaka, 0UL, 6 * Blob, 16UL, 0UL)]
    // Osaka, base fee 17: 8192·17 = 139264 > 131072 → excess + used · (9 − 6) / 9 = 786432 · 3 / 9 = 262144.
    [InlineData(Fork.Osaka, 0UL, 6 * Blob, 17UL, 262144UL)]
    [InlineData(Fork.Osaka, 0UL, 9 * Blob, 17UL, 393216UL)]
    // Below the target the excess is 0 whatever the base fee.
    [InlineData(Fork.Osaka, 0UL, 5 * Blob, 1_000_000UL, 0UL)]
    // A high blob fee (excess 10·fraction → blob base fee 22026) outprices the reserve at base fee 17: EIP-4844 rule.
    [InlineData(Fork.Osaka, 50_077_160UL, 6 * Blob, 17UL, 50_077_160UL)]
    public void Excess_blob_gas_with_the_reserve_price(Fork fork, ulong parentExcess, ulong parentUsed, ulong parentBaseFee, ulong expected)
    {
        Assert.Equal(expected, TransactionProcessor.CalcExcessBlobGas(fork, parentExcess, parentUsed, parentBaseFee));
    }

    [Fact]
    public void Blob_limits_per_fork()
    {
        Assert.Equal(6, TransactionProcessor.MaxBlobsPerTransaction(Fork.Cancun));
        Assert.Equal(9, TransactionProcessor.MaxBlobsPerTransaction(Fork.Prague));   // EIP-7691
        Assert.Equal(6, TransactionProcessor.MaxBlobsPerTransaction(Fork.Osaka));    // EIP-7594 MAX_BLOBS_PER_TX
        Assert.Equal(5007716UL, TransactionProcessor.BlobBaseFeeUpdateFraction(Fork.Osaka));
    }

    [Fact]
    public void A_blob_transaction_pays_the_blob_fee_derived_from_the_parent_by_fork()
    {
        // Parent: excess 0, six blobs used, base fee 17. Prague: excess 0 → blob base fee 1. Osaka: excess 262144 →
        // fake_exponential(1, 262144, 5007716) = 1 (e^0.052 = 1.05, truncated), so both accept a cap of 1; a cap of 0
        // is below the fee in both.
        var sender = Address.FromNumber(0x5e);
        var (state, _) = Funded(sender);
        var block = new BlockEnvironment { GasLimit = 60_000_000, BaseFee = 7, Coinbase = Address.FromNumber(0xc0), Parent = new ParentBlobFields(0, 6 * Blob, 17) };
        var hash = Hash256.Parse("0x0100000000000000000000000000000000000000000000000000000000000000");
        foreach (var fork in new[] { Fork.Prague, Fork.Osaka })
        {
            var ok = new Transaction { Type = 3, Sender = sender, To = Address.FromNumber(0x70), GasLimit = 21000, MaxFeePerGas = 10, MaxFeePerBlobGas = 1, BlobVersionedHashes = [hash] };
            Assert.Null(TransactionProcessor.Validate(state, ok, block, fork));
            var low = new Transaction { Type = 3, Sender = sender, To = Address.FromNumber(0x70), GasLimit = 21000, MaxFeePerGas = 10, MaxFeePerBlobGas = 0, BlobVersionedHashes = [hash] };
            Assert.Equal("TransactionException.INSUFFICIENT_MAX_FEE_PER_BLOB_GAS", TransactionProcessor.Validate(state, low, block, fork));
        }
        Assert.Equal(262144UL, TransactionProcessor.ExcessBlobGas(block, Fork.Osaka));
        Assert.Equal(0UL, TransactionProcessor.ExcessBlobGas(block, Fork.Prague));
    }

    // ---- EIP-7951 P256VERIFY is a precompile from Osaka only (vectors: Precompiles/P256VerifyTests) ----

    [Fact]
    public void P256verify_exists_from_osaka()
    {
        Assert.False(PrecompileRegistry.IsPrecompile(Address.FromNumber(0x100), Fork.Prague));
        Assert.True(PrecompileRegistry.IsPrecompile(Address.FromNumber(0x100), Fork.Osaka));
        Assert.Equal(6900L, PrecompileRegistry.Get(Address.FromNumber(0x100), Fork.Osaka)!.RequiredGas(new byte[160], Fork.Osaka));
    }
}
