using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.State;

/// <summary>EIP-7702 authorization rules, from the EIP text; the signed tuple is an execution-spec-tests vector.</summary>
public class Eip7702Tests
{
    // From ethtests/Prague (execution-spec-tests): this tuple's signer is 0x8a0a…19b8 (the fixture's "signer" field).
    private static readonly AuthorizationTuple s_signed = new(
        0, Address.FromNumber(1), 0, 0,
        UInt256.Parse("0x33a629f82b5aaff5b4bfe6b9ab53bb3646b92cda403d7c834f72c9a5073aec20"),
        UInt256.Parse("0x16902e4a3c089e05d649cab6bd74b6f424fae0eefad3a4944fa452ff7413b5d3"));
    private static readonly Address s_signer = Address.Parse("0x8a0a19589531694250d570040a0c4b74576919b8");
    private static readonly UInt256 s_n = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    [Fact]
    public void Recovers_the_authority_of_a_signed_tuple()
    {
        Assert.True(TransactionProcessor.TryRecoverAuthority(s_signed, out var authority));
        Assert.Equal(s_signer, authority);
    }

    [Fact]
    public void Rejects_high_s_bad_parity_and_zero_r()
    {
        // The same signature with s' = n − s and the other parity is valid ECDSA, but EIP-7702 requires s ≤ n/2.
        UInt256.Subtract(s_n, s_signed.S, out var highS);
        Assert.False(TransactionProcessor.TryRecoverAuthority(s_signed with { S = highS, YParity = 1 }, out _));
        Assert.False(TransactionProcessor.TryRecoverAuthority(s_signed with { YParity = 2 }, out _));
        Assert.False(TransactionProcessor.TryRecoverAuthority(s_signed with { YParity = 27 }, out _));
        Assert.False(TransactionProcessor.TryRecoverAuthority(s_signed with { R = 0 }, out _));
        Assert.False(TransactionProcessor.TryRecoverAuthority(s_signed with { R = s_n }, out _));
        // Another message (nonce 1) recovers someone else, never the signer.
        Assert.True(!TransactionProcessor.TryRecoverAuthority(s_signed with { Nonce = 1 }, out var other) || other != s_signer);
    }

    [Fact]
    public void Designator_is_ef0100_and_the_address()
    {
        var d = Delegation.Designator(Address.FromNumber(0x1234));
        Assert.Equal("ef01000000000000000000000000000000000000001234", Convert.ToHexStringLower(d));
        Assert.True(Delegation.TryGetTarget(d, out var t));
        Assert.Equal(Address.FromNumber(0x1234), t);
        Assert.False(Delegation.TryGetTarget(d.AsSpan(0, 22), out _));          // wrong length
        Assert.False(Delegation.TryGetTarget([0xef, 0x01, 0x01, .. d[3..]], out _)); // wrong version byte
    }

    private static WorldState StateWith(byte[]? authorityCode = null, ulong authorityNonce = 0, bool authorityExists = true)
    {
        var state = new WorldState();
        if (authorityExists) state.SetAccount(s_signer, authorityNonce, 1, authorityCode ?? []);
        state.BeginTransaction();
        return state;
    }

    [Fact]
    public void A_valid_tuple_sets_the_designator_bumps_the_nonce_warms_and_refunds_for_an_existing_account()
    {
        var state = StateWith();
        long refund = TransactionProcessor.ApplyAuthorizations(state, [s_signed], chainId: 1);
        Assert.Equal(25000 - 12500, refund); // PER_EMPTY_ACCOUNT_COST − PER_AUTH_BASE_COST
        Assert.Equal(Delegation.Designator(Address.FromNumber(1)), state.GetCode(s_signer));
        Assert.Equal(1UL, state.GetNonce(s_signer));
        Assert.True(state.IsWarm(s_signer));
    }

    [Fact]
    public void A_new_authority_gets_no_refund()
    {
        var state = StateWith(authorityExists: false);
        Assert.Equal(0, TransactionProcessor.ApplyAuthorizations(state, [s_signed], chainId: 1));
        Assert.Equal(1UL, state.GetNonce(s_signer));
    }

    [Fact]
    public void Invalid_tuples_are_skipped_without_effect()
    {
        // Chain id neither 0 nor the chain's.
        var state = StateWith();
        Assert.Equal(0, TransactionProcessor.ApplyAuthorizations(state, [s_signed with { ChainId = 5 }], chainId: 1));
        Assert.Empty(state.GetCode(s_signer));
        // Nonce mismatch (the authority is at nonce 3).
        state = StateWith(authorityNonce: 3);
        Assert.Equal(0, TransactionProcessor.ApplyAuthorizations(state, [s_signed], chainId: 1));
        Assert.Equal(3UL, state.GetNonce(s_signer));
        // The authority has real code.
        state = StateWith(authorityCode: [0x60, 0x00]);
        Assert.Equal(0, TransactionProcessor.ApplyAuthorizations(state, [s_signed], chainId: 1));
        Assert.Equal(0UL, state.GetNonce(s_signer));
        // Nonce 2^64 − 1 is never valid.
        state = StateWith();
        Assert.Equal(0, TransactionProcessor.ApplyAuthorizations(state, [s_signed with { Nonce = ulong.MaxValue }], chainId: 1));
    }

    [Fact]
    public void An_already_delegated_authority_can_redelegate_and_address_zero_clears()
    {
        // The signed tuple is for nonce 0; an account delegated elsewhere at nonce 0 may re-delegate.
        var state = StateWith(authorityCode: Delegation.Designator(Address.FromNumber(0x99)));
        TransactionProcessor.ApplyAuthorizations(state, [s_signed], chainId: 1);
        Assert.Equal(Delegation.Designator(Address.FromNumber(1)), state.GetCode(s_signer));
        Assert.Equal(1UL, state.GetNonce(s_signer));
    }

    [Fact]
    public void Set_code_transactions_need_a_target_and_a_non_empty_list_and_cost_25000_per_tuple()
    {
        var sender = Address.FromNumber(0x5e);
        var state = new WorldState();
        state.SetAccount(sender, 0, UInt256.Parse("0xffffffffffffffffffff"), []);
        var block = new BlockEnvironment { GasLimit = 30_000_000, BaseFee = 7 };
        var baseTx = new Transaction { Type = 4, Sender = sender, To = Address.FromNumber(0x70), GasLimit = 100_000, MaxFeePerGas = 10, Authorizations = [s_signed] };
        Assert.Null(TransactionProcessor.Validate(state, baseTx, block, Fork.Prague));
        Assert.Equal("TransactionException.TYPE_NOT_SUPPORTED", TransactionProcessor.Validate(state, baseTx, block, Fork.Cancun));
        Assert.Equal("TransactionException.TYPE_4_EMPTY_AUTHORIZATION_LIST",
            TransactionProcessor.Validate(state, new Transaction { Type = 4, Sender = sender, To = Address.FromNumber(0x70), GasLimit = 100_000, MaxFeePerGas = 10 }, block, Fork.Prague));
        Assert.Equal("TransactionException.TYPE_4_TX_CONTRACT_CREATION",
            TransactionProcessor.Validate(state, new Transaction { Type = 4, Sender = sender, GasLimit = 100_000, MaxFeePerGas = 10, Authorizations = [s_signed] }, block, Fork.Prague));
        // 21000 + 25000 per tuple: 45999 is too little for one tuple.
        Assert.Equal(46000, TransactionProcessor.IntrinsicGas(Fork.Prague, [], false, 0, 0, 1));
        var low = new Transaction { Type = 4, Sender = sender, To = Address.FromNumber(0x70), GasLimit = 45999, MaxFeePerGas = 10, Authorizations = [s_signed] };
        Assert.Equal("TransactionException.INTRINSIC_GAS_TOO_LOW", TransactionProcessor.Validate(state, low, block, Fork.Prague));
    }

    [Fact]
    public void A_delegated_sender_may_still_send()
    {
        // EIP-3607 is relaxed for designators only.
        var sender = Address.FromNumber(0x5e);
        var state = new WorldState();
        state.SetAccount(sender, 0, UInt256.Parse("0xffffffffffffffffffff"), Delegation.Designator(Address.FromNumber(0x99)));
        var block = new BlockEnvironment { GasLimit = 30_000_000, BaseFee = 7 };
        var tx = new Transaction { Type = 2, Sender = sender, To = Address.FromNumber(0x70), GasLimit = 21000, MaxFeePerGas = 10 };
        Assert.Null(TransactionProcessor.Validate(state, tx, block, Fork.Prague));
        Assert.Equal("TransactionException.SENDER_NOT_EOA", TransactionProcessor.Validate(state, tx, block, Fork.Cancun));
        state.SetAccount(sender, 0, UInt256.Parse("0xffffffffffffffffffff"), [0x60, 0x00]);
        Assert.Equal("TransactionException.SENDER_NOT_EOA", TransactionProcessor.Validate(state, tx, block, Fork.Prague));
    }

    [Fact]
    public void The_signing_hash_is_keccak_of_magic_and_the_rlp_tuple()
    {
        // keccak256(0x05 ‖ rlp([0, 0x…01, 0])): list of 1 + 21 + 1 = 23 bytes → header 0xd7. Signing that hash with the
        // recovered parameters must give back the signer through the plain ecrecover precompile as well.
        byte[] preimage = [0x05, 0xd7, 0x80, 0x94, .. new byte[19], 0x01, 0x80];
        var hash = Keccak256.Compute(preimage);
        var input = new byte[128];
        hash.WriteTo(input.AsSpan(0, 32));
        input[63] = 27; // v = 27 + y parity 0
        s_signed.R.WriteBigEndian(input.AsSpan(64, 32));
        s_signed.S.WriteBigEndian(input.AsSpan(96, 32));
        Assert.True(Jevm.Precompiles.EcRecoverPrecompile.Instance.TryRun(input, Fork.Prague, out var output));
        Assert.Equal(s_signer, new Address(output.AsSpan(12, 20)));
    }
}
