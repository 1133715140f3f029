using System.Numerics;
using FsCheck.Xunit;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;

namespace Jevm.Tests.Precompiles;

public class ModExpPrecompileTests
{
    private static string Len(ulong n) => n.ToString("x64");
    private const string SecpP = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
    private const string SecpPMinus1 = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e";

    // EIP-198 example 1: 3^(p−1) mod p = 1 (Fermat).
    private static readonly byte[] s_fermat = Hex.Decode(Len(1) + Len(32) + Len(32) + "03" + SecpPMinus1 + SecpP);

    [Fact]
    public void Eip198_Fermat()
    {
        Assert.True(ModExpPrecompile.Instance.TryRun(s_fermat, Fork.Byzantium, out var output));
        Assert.Equal("0x" + new string('0', 63) + "1", Hex.Encode(output));
    }

    [Theory]
    // complexity(32) = 1024, adjusted exp len 255: 1024·255/20
    [InlineData(Fork.Byzantium, 13056L)]
    [InlineData(Fork.Istanbul, 13056L)]
    // EIP-2565: words 4 → 16, 16·255/3
    [InlineData(Fork.Berlin, 1360L)]
    [InlineData(Fork.Prague, 1360L)]
    // EIP-7883: max length 32 → 16, 16·255
    [InlineData(Fork.Osaka, 4080L)]
    public void Fermat_GasPerFork(Fork fork, long expected) =>
        Assert.Equal(expected, ModExpPrecompile.Instance.RequiredGas(s_fermat, fork));

    [Fact]
    public void Eip198_ZeroBaseLength_ReadsBaseAsZero()
    {
        // EIP-198 example 2: base length 0, 0^(p−2) mod p = 0.
        var input = Hex.Decode(Len(0) + Len(32) + Len(32) + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2d" + SecpP);
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Byzantium, out var output));
        Assert.Equal(new byte[32], output);
    }

    [Fact]
    public void HugeLengths_GasSaturates_WithoutAllocating()
    {
        // EIP-198 example 3: lengths 0, 2^256−1, 2^256−1.
        var input = Hex.Decode(Len(0) + new string('f', 64) + new string('f', 64));
        Assert.Equal(long.MaxValue, ModExpPrecompile.Instance.RequiredGas(input, Fork.Byzantium));
        Assert.Equal(long.MaxValue, ModExpPrecompile.Instance.RequiredGas(input, Fork.Berlin));
        Assert.Equal(long.MaxValue, ModExpPrecompile.Instance.RequiredGas(input, Fork.Osaka));
        Assert.False(ModExpPrecompile.Instance.TryRun(input, Fork.Osaka, out _));
    }

    [Fact]
    public void ZeroBaseAndModulusLengths_HugeExponent_IsCheapAndEmpty()
    {
        var input = Hex.Decode(Len(0) + "ff" + new string('0', 62) + Len(0));
        Assert.Equal(0, ModExpPrecompile.Instance.RequiredGas(input, Fork.Byzantium)); // complexity(0) = 0
        Assert.Equal(200, ModExpPrecompile.Instance.RequiredGas(input, Fork.Berlin));  // EIP-2565 floor
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Berlin, out var output));
        Assert.Empty(output);
    }

    [Theory]
    [InlineData(Fork.Berlin, 200L)]
    [InlineData(Fork.Osaka, 500L)]
    public void MinimumPrice(Fork fork, long expected)
    {
        var input = Hex.Decode(Len(1) + Len(1) + Len(1) + "020305");
        Assert.Equal(expected, ModExpPrecompile.Instance.RequiredGas(input, fork));
        Assert.True(ModExpPrecompile.Instance.TryRun(input, fork, out var output));
        Assert.Equal(new byte[] { 3 }, output); // 2^3 mod 5
    }

    [Fact]
    public void LongExponent_Gas()
    {
        // base 64 bytes, exponent 40 bytes whose first 32 bytes are 0x01 followed by zeros (bit length 249), modulus 64.
        var exp = "01" + new string('0', 78);
        var input = Hex.Decode(Len(64) + Len(40) + Len(64) + new string('0', 128) + exp + new string('0', 126) + "07");
        // EIP-198: complexity(64) = 4096; adjusted = 8·8 + 248 = 312; 4096·312/20 = 63897.6
        Assert.Equal(63897L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Byzantium));
        // EIP-2565: words 8 → 64; 64·312/3 = 6656
        Assert.Equal(6656L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Berlin));
        // EIP-7883: 2·64 = 128; iterations 16·8 + 248 = 376; 128·376 = 48128
        Assert.Equal(48128L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Osaka));
    }

    [Fact]
    public void Eip198_MiddleComplexityBand()
    {
        // lengths (100, 1, 100): complexity 100²/4 + 96·100 − 3072 = 9028; exponent 3 (bit length 2 → adjusted 1);
        // 9028·1/20 = 451
        var input = Hex.Decode(Len(100) + Len(1) + Len(100) + new string('0', 200) + "03" + new string('0', 198) + "09");
        Assert.Equal(451L, ModExpPrecompile.Instance.RequiredGas(input, Fork.Byzantium));
    }

    [Fact]
    public void ModulusZero_ReturnsZerosOfModulusLength()
    {
        var input = Hex.Decode(Len(1) + Len(1) + Len(3) + "0203000000");
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Equal(new byte[3], output);
    }

    [Fact]
    public void ModulusOne_ZeroExponent_ReturnsZero()
    {
        var input = Hex.Decode(Len(1) + Len(1) + Len(2) + "05000001");
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Equal(new byte[2], output);
    }

    [Fact]
    public void ZeroExponent_ReturnsOne()
    {
        var input = Hex.Decode(Len(1) + Len(1) + Len(2) + "00000100");
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Equal(new byte[] { 0, 1 }, output); // 0^0 mod 256 = 1
    }

    [Fact]
    public void TruncatedInput_MissingBytesAreZero()
    {
        // modulus declared 2 bytes but only "01" present → modulus 0x0100 = 256; 3^5 mod 256 = 243.
        var input = Hex.Decode(Len(1) + Len(1) + Len(2) + "030501");
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Equal(new byte[] { 0, 243 }, output);
    }

    [Theory]
    [InlineData(1025, 1, 1)]
    [InlineData(1, 1025, 1)]
    [InlineData(1, 1, 1025)]
    public void Osaka_Eip7823_LengthAbove1024_Fails(int b, int e, int m)
    {
        var input = Hex.Decode(Len((ulong)b) + Len((ulong)e) + Len((ulong)m));
        Assert.False(ModExpPrecompile.Instance.TryRun(input, Fork.Osaka, out _));
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Prague, out _));
    }

    [Fact]
    public void Osaka_Eip7823_Length1024_IsAllowed()
    {
        var input = Hex.Decode(Len(1024) + Len(1) + Len(1024));
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Osaka, out var output));
        Assert.Equal(1024, output.Length);
    }

    private static BigInteger NaiveModPow(BigInteger b, BigInteger e, BigInteger m)
    {
        if (m.IsZero) return BigInteger.Zero;
        BigInteger result = BigInteger.One % m;
        b %= m;
        while (!e.IsZero)
        {
            if (!e.IsEven) result = result * b % m;
            b = b * b % m;
            e >>= 1;
        }
        return result;
    }

    [Property(MaxTest = 200)]
    public void MatchesSquareAndMultiply(byte[] baseBytes, byte[] expBytes, byte[] modBytes)
    {
        if (expBytes.Length > 8) expBytes = expBytes[..8];
        var input = Hex.Decode(Len((ulong)baseBytes.Length) + Len((ulong)expBytes.Length) + Len((ulong)modBytes.Length)
            + Convert.ToHexString(baseBytes) + Convert.ToHexString(expBytes) + Convert.ToHexString(modBytes));
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        var expected = NaiveModPow(new BigInteger(baseBytes, true, true), new BigInteger(expBytes, true, true), new BigInteger(modBytes, true, true));
        Assert.Equal(modBytes.Length, output.Length);
        Assert.Equal(expected, new BigInteger(output, true, true));
    }
}
