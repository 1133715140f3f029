using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.State;

/// <summary>An access-list entry (EIP-2930): an address and storage keys to pre-warm.</summary>
/// <param name="Address">The account.</param>
/// <param name="StorageKeys">Its slots.</param>
public sealed record AccessListEntry(Address Address, UInt256[] StorageKeys);

/// <summary>
/// An EIP-7702 authorization: the authority (recovered from the signature over
/// keccak256(0x05 ‖ rlp([chain_id, address, nonce]))) lets its account delegate to <paramref name="Address"/>.
/// </summary>
/// <param name="ChainId">The chain it is valid on (0: any chain).</param>
/// <param name="Address">The delegate (the zero address clears a delegation).</param>
/// <param name="Nonce">The authority's nonce it is valid for.</param>
/// <param name="YParity">The signature's y parity (valid: 0 or 1).</param>
/// <param name="R">The signature's r.</param>
/// <param name="S">The signature's s.</param>
public sealed record AuthorizationTuple(UInt256 ChainId, Address Address, UInt256 Nonce, UInt256 YParity, UInt256 R, UInt256 S);

/// <summary>A transaction, already signed and with its sender known (types 0–4).</summary>
public sealed class Transaction
{
    /// <summary>EIP-2718 type: 0 legacy, 1 access list (EIP-2930), 2 dynamic fee (EIP-1559), 3 blob (EIP-4844), 4 set code (EIP-7702).</summary>
    public int Type { get; init; }
    /// <summary>The sender.</summary>
    public Address Sender { get; init; }
    /// <summary>The nonce.</summary>
    public ulong Nonce { get; init; }
    /// <summary>The recipient, or null for a contract creation.</summary>
    public Address? To { get; init; }
    /// <summary>The value sent.</summary>
    public UInt256 Value { get; init; }
    /// <summary>Call data or init code.</summary>
    public byte[] Data { get; init; } = [];
    /// <summary>The gas limit.</summary>
    public long GasLimit { get; init; }
    /// <summary>Types 0 and 1: the gas price.</summary>
    public UInt256 GasPrice { get; init; }
    /// <summary>Types 2–4: the fee cap per gas.</summary>
    public UInt256 MaxFeePerGas { get; init; }
    /// <summary>Types 2–4: the priority fee cap per gas.</summary>
    public UInt256 MaxPriorityFeePerGas { get; init; }
    /// <summary>Types 1–4: the access list.</summary>
    public AccessListEntry[] AccessList { get; init; } = [];
    /// <summary>Type 3: the blob fee cap per blob gas.</summary>
    public UInt256 MaxFeePerBlobGas { get; init; }
    /// <summary>Type 3: the blobs' versioned hashes.</summary>
    public Hash256[] BlobVersionedHashes { get; init; } = [];

    /// <summary>Type 4: the authorization list (EIP-7702).</summary>
    public AuthorizationTuple[] Authorizations { get; init; } = [];

    /// <summary>True for a contract-creating transaction.</summary>
    public bool IsCreate => To is null;

    /// <summary>True when the fee fields are EIP-1559's (types 2–4).</summary>
    public bool HasDynamicFee => Type >= 2;
}

/// <summary>The block a transaction runs in.</summary>
public sealed class BlockEnvironment
{
    /// <summary>The fee recipient.</summary>
    public Address Coinbase { get; init; }
    /// <summary>The block gas limit.</summary>
    public long GasLimit { get; init; }
    /// <summary>The block number.</summary>
    public long Number { get; init; }
    /// <summary>The timestamp.</summary>
    public ulong Timestamp { get; init; }
    /// <summary>The difficulty (before the Merge).</summary>
    public UInt256 Difficulty { get; init; }
    /// <summary>PREVRANDAO (from the Merge).</summary>
    public UInt256 Random { get; init; }
    /// <summary>The base fee per gas (from London).</summary>
    public UInt256 BaseFee { get; init; }
    /// <summary>The excess blob gas (from Cancun), which gives the blob base fee.</summary>
    public ulong ExcessBlobGas { get; init; }
    /// <summary>CHAINID.</summary>
    public UInt256 ChainId { get; init; } = 1;
}
