using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.Tests.Precompiles;

public class ClassicPrecompileTests
{
    private static byte[] Run(IPrecompile p, string inputHex, Fork fork = Fork.Cancun)
    {
        Assert.True(p.TryRun(Hex.Decode(inputHex), fork, out var output));
        return output;
    }

    [Theory]
    [InlineData("", "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("0x616263", "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Sha256_KnownAnswers(string input, string expected) =>
        Assert.Equal(expected, Hex.Encode(Run(Sha256Precompile.Instance, input)));

    [Theory]
    [InlineData("", "0x0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31")]
    [InlineData("0x616263", "0x0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc")]
    public void Ripemd160_KnownAnswers_LeftPadded(string input, string expected) =>
        Assert.Equal(expected, Hex.Encode(Run(Ripemd160Precompile.Instance, input)));

    [Fact]
    public void Identity_ReturnsInput()
    {
        Assert.Equal("0x0102ff", Hex.Encode(Run(IdentityPrecompile.Instance, "0x0102ff")));
        Assert.Empty(Run(IdentityPrecompile.Instance, ""));
    }

    [Theory]
    [InlineData(0, 60, 600, 15)]
    [InlineData(1, 72, 720, 18)]
    [InlineData(32, 72, 720, 18)]
    [InlineData(33, 84, 840, 21)]
    [InlineData(64, 84, 840, 21)]
    [InlineData(65, 96, 960, 24)]
    public void LinearPrecompiles_Gas(int length, long sha, long ripemd, long identity)
    {
        var input = new byte[length];
        Assert.Equal(sha, Sha256Precompile.Instance.RequiredGas(input, Fork.Frontier));
        Assert.Equal(ripemd, Ripemd160Precompile.Instance.RequiredGas(input, Fork.Frontier));
        Assert.Equal(identity, IdentityPrecompile.Instance.RequiredGas(input, Fork.Frontier));
    }

    [Fact]
    public void Registry_HasClassicPrecompilesFromTheirForks()
    {
        Assert.Same(EcRecoverPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(1), Fork.Frontier));
        Assert.Same(Sha256Precompile.Instance, PrecompileRegistry.Get(Address.FromNumber(2), Fork.Frontier));
        Assert.Same(Ripemd160Precompile.Instance, PrecompileRegistry.Get(Address.FromNumber(3), Fork.Frontier));
        Assert.Same(IdentityPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(4), Fork.Frontier));
        Assert.Null(PrecompileRegistry.Get(Address.FromNumber(5), Fork.SpuriousDragon));
        Assert.Same(ModExpPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(5), Fork.Byzantium));
        Assert.Null(PrecompileRegistry.Get(Address.FromNumber(9), Fork.Petersburg));
        Assert.Same(Blake2fPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(9), Fork.Istanbul));
    }
}
