using Jevm.Crypto;
using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.State;

/// <summary>An account of the in-memory world state. Mutated only through <see cref="WorldState"/>, which journals it.</summary>
public sealed class Account
{
    /// <summary>The nonce.</summary>
    public ulong Nonce { get; internal set; }

    /// <summary>The balance in wei.</summary>
    public UInt256 Balance { get; internal set; }

    /// <summary>The code (empty for an externally owned account).</summary>
    public byte[] Code { get; private set; } = [];

    /// <summary>keccak256 of <see cref="Code"/>.</summary>
    public Hash256 CodeHash { get; private set; } = Keccak256.OfEmpty;

    /// <summary>Storage slots; a slot set to zero may stay in the map with the value zero.</summary>
    internal Dictionary<UInt256, UInt256> Storage { get; private set; } = new();

    /// <summary>EIP-161 "empty": no code, nonce 0, balance 0.</summary>
    public bool IsEmpty => Nonce == 0 && Balance.IsZero && Code.Length == 0;

    internal void SetCode(byte[] code, in Hash256 hash)
    {
        Code = code;
        CodeHash = hash;
    }

    internal void SetCode(byte[] code) => SetCode(code, code.Length == 0 ? Keccak256.OfEmpty : Keccak256.Compute(code));

    /// <summary>True when some slot holds a non-zero value.</summary>
    internal bool HasStorage()
    {
        foreach (var v in Storage.Values) if (!v.IsZero) return true;
        return false;
    }

    /// <summary>A deep copy (storage included).</summary>
    public Account Clone() => new()
    {
        Nonce = Nonce,
        Balance = Balance,
        Code = Code,
        CodeHash = CodeHash,
        Storage = new Dictionary<UInt256, UInt256>(Storage),
    };
}

/// <summary>A log record: LOG0–LOG4's address, topics and data.</summary>
/// <param name="Address">The account that emitted the log.</param>
/// <param name="Topics">Zero to four topics.</param>
/// <param name="Data">The data.</param>
public sealed record LogEntry(Address Address, UInt256[] Topics, byte[] Data);
