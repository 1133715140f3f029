using Jevm.Evm;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.State;

public class TransactionRulesTests
{
    [Theory]
    // Plain transfer: 21000 in every fork (Yellow Paper G_transaction).
    [InlineData(Fork.Frontier, "", false, 21000)]
    [InlineData(Fork.Cancun, "", false, 21000)]
    // Creation: +32000 from Homestead (EIP-2), not in Frontier.
    [InlineData(Fork.Frontier, "", true, 21000)]
    [InlineData(Fork.Homestead, "", true, 53000)]
    // Calldata: 4 per zero byte, 68 per non-zero byte before Istanbul, 16 from Istanbul (EIP-2028).
    [InlineData(Fork.Petersburg, "0001ff", false, 21000 + 4 + 68 + 68)]
    [InlineData(Fork.Istanbul, "0001ff", false, 21000 + 4 + 16 + 16)]
    // EIP-3860 (Shanghai): 2 gas per 32-byte word of init code; 33 bytes = 2 words.
    [InlineData(Fork.Paris, "000000000000000000000000000000000000000000000000000000000000000000", true, 53000 + 33 * 4)]
    [InlineData(Fork.Shanghai, "000000000000000000000000000000000000000000000000000000000000000000", true, 53000 + 33 * 4 + 4)]
    public void Intrinsic_gas_follows_the_eips(Fork fork, string dataHex, bool create, long expected)
    {
        Assert.Equal(expected, TransactionProcessor.IntrinsicGas(fork, Convert.FromHexString(dataHex), create, 0, 0));
    }

    [Fact]
    public void Access_list_costs_2400_per_address_and_1900_per_key()
    {
        // EIP-2930: ACCESS_LIST_ADDRESS_COST 2400, ACCESS_LIST_STORAGE_KEY_COST 1900.
        Assert.Equal(21000 + 2 * 2400 + 3 * 1900, TransactionProcessor.IntrinsicGas(Fork.Berlin, [], false, 2, 3));
    }

    [Theory]
    // fake_exponential(1, excess, 3338477): values computed by hand from EIP-4844's definition.
    [InlineData(0UL, 1UL)]
    [InlineData(3338477UL, 2UL)]        // e^1 ≈ 2.718 → 2
    [InlineData(10UL * 3338477, 22026UL)] // e^10 ≈ 22026.47
    public void Blob_base_fee_matches_eip4844(ulong excess, ulong expected)
    {
        Assert.Equal(expected, TransactionProcessor.BlobBaseFee(excess).U0);
    }

    [Fact]
    public void Fake_exponential_is_the_eip_series()
    {
        // The EIP's loop by hand with integer division: (1, 1, 1): terms 1, 1, 0 → 2.
        Assert.Equal(2, (int)TransactionProcessor.FakeExponential(1, 1, 1));
        // (1, 2, 1): terms 1, 2, 2·2/2 = 2, 2·2/3 = 1, 1·2/4 = 0 → 6 (e^2 ≈ 7.39, truncated at each step).
        Assert.Equal(6, (int)TransactionProcessor.FakeExponential(1, 2, 1));
    }

    [Fact]
    public void Create_address_matches_known_value()
    {
        // The well-known first contract of 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0 at nonce 0.
        var a = StateHost.CreateAddress(Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0"), 0);
        Assert.Equal("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d", a.ToString());
    }

    [Fact]
    public void Create2_address_matches_eip1014_example()
    {
        // EIP-1014 example 1: address 0x0, salt 0, init code 0x00.
        var a = StateHost.Create2Address(Address.Zero, 0, [0x00]);
        Assert.Equal("0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38", a.ToString());
    }
}
