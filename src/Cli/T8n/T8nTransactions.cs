using System.Text.Json;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Jevm.Cli.T8n;

/// <summary>A t8n transaction: the executable transaction, its signed encoding and hash.</summary>
internal sealed class SignedTransaction
{
    public required Transaction Tx { get; init; }
    /// <summary>The EIP-2718 envelope (typed) or the RLP list (legacy): what txRoot and the hash are over.</summary>
    public required byte[] Encoded { get; init; }
    public Hash256 Hash => Keccak256.Compute(Encoded);
}

/// <summary>Parses geth t8n's txs.json entries, signs them (<c>secretKey</c>) or recovers their sender (v, r, s), encodes them.</summary>
internal static class T8nTransactions
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters s_curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters s_domain = new(s_curve.Curve, s_curve.G, s_curve.N, s_curve.H);
    private static readonly BigInteger s_halfN = s_curve.N.ShiftRight(1);

    /// <summary>Parses one transaction object; throws <see cref="FormatException"/> when it cannot be used.</summary>
    public static SignedTransaction Parse(JsonElement j, ulong defaultChainId, Fork fork)
    {
        int type = j.TryGetProperty("type", out var t) && t.ValueKind != JsonValueKind.Null ? (int)Num(t).U0 : -1;
        bool dynamicFee = Has(j, "maxFeePerGas");
        bool blob = Has(j, "blobVersionedHashes") || Has(j, "maxFeePerBlobGas");
        if (type < 0) type = blob ? 3 : dynamicFee ? 2 : Has(j, "accessList") ? 1 : 0;
        if (type > 3) throw new FormatException($"transaction type {type} is not supported");

        ulong chainId = Has(j, "chainId") ? Num(j.GetProperty("chainId")).U0 : defaultChainId;
        string? toText = j.TryGetProperty("to", out var toEl) && toEl.ValueKind == JsonValueKind.String ? toEl.GetString() : null;
        Address? to = string.IsNullOrEmpty(toText) || toText == "0x" ? null : Address.Parse(toText);
        var accessList = new List<AccessListEntry>();
        if (j.TryGetProperty("accessList", out var al) && al.ValueKind == JsonValueKind.Array)
            foreach (var e in al.EnumerateArray())
                accessList.Add(new AccessListEntry(Address.Parse(e.GetProperty("address").GetString()!),
                    e.TryGetProperty("storageKeys", out var keys) ? keys.EnumerateArray().Select(Num).ToArray() : []));
        var hashes = j.TryGetProperty("blobVersionedHashes", out var bh) && bh.ValueKind == JsonValueKind.Array
            ? bh.EnumerateArray().Select(h => Hash256.Parse(h.GetString()!)).ToArray() : [];
        string inputText = j.TryGetProperty("input", out var inp) ? inp.GetString() ?? "" : j.TryGetProperty("data", out var dat) ? dat.GetString() ?? "" : "";
        var gas = Num(j.GetProperty("gas"));
        if (!gas.FitsInUInt64 || gas.U0 > long.MaxValue) throw new FormatException("gas does not fit in 63 bits");

        var unsigned = new Transaction
        {
            Type = type,
            Nonce = Num(j.GetProperty("nonce")).U0,
            To = to,
            Value = Opt(j, "value"),
            Data = Hex.Decode(inputText),
            GasLimit = (long)gas.U0,
            GasPrice = Opt(j, "gasPrice"),
            MaxFeePerGas = dynamicFee ? Opt(j, "maxFeePerGas") : Opt(j, "gasPrice"),
            MaxPriorityFeePerGas = dynamicFee ? Opt(j, "maxPriorityFeePerGas") : Opt(j, "gasPrice"),
            AccessList = accessList.ToArray(),
            MaxFeePerBlobGas = Opt(j, "maxFeePerBlobGas"),
            BlobVersionedHashes = hashes,
        };
        // Legacy: EIP-155 replay protection unless "protected": false or before Spurious Dragon.
        bool eip155 = type == 0 && fork >= Fork.SpuriousDragon && !(j.TryGetProperty("protected", out var p) && p.ValueKind == JsonValueKind.False);

        Span<byte> r = stackalloc byte[32], s = stackalloc byte[32];
        int recId;
        Address sender;
        if (j.TryGetProperty("secretKey", out var sk) && sk.ValueKind == JsonValueKind.String)
        {
            var key = Hex.Decode(sk.GetString()!);
            if (key.Length != 32) throw new FormatException("secretKey must be 32 bytes");
            sender = AddressOfKey(key);
            var hash = SigningHash(unsigned, type == 0 ? (eip155 ? chainId : null) : chainId);
            recId = Sign(key, hash, sender, r, s);
        }
        else
        {
            var v = Num(j.GetProperty("v"));
            Num(j.GetProperty("r")).WriteBigEndian(r);
            Num(j.GetProperty("s")).WriteBigEndian(s);
            ulong? signedChain = chainId;
            if (type == 0)
            {
                if (v.U0 is 27 or 28) { recId = (int)v.U0 - 27; signedChain = null; }
                else if (v.U0 >= 35) { signedChain = (v.U0 - 35) / 2; recId = (int)((v.U0 - 35) % 2); }
                else throw new FormatException($"invalid v {v}");
                eip155 = signedChain is not null;
                if (signedChain is { } c) chainId = c;
            }
            else recId = (int)v.U0;
            var hash = SigningHash(unsigned, signedChain);
            Span<byte> a = stackalloc byte[20];
            if (recId is not (0 or 1) || !EcRecoverPrecompile.TryRecoverAddress(hash, recId, r, s, a))
                throw new FormatException("invalid signature: no sender recoverable");
            sender = new Address(a);
        }

        var tx = new Transaction
        {
            Type = unsigned.Type, Sender = sender, Nonce = unsigned.Nonce, To = unsigned.To, Value = unsigned.Value,
            Data = unsigned.Data, GasLimit = unsigned.GasLimit, GasPrice = unsigned.GasPrice, MaxFeePerGas = unsigned.MaxFeePerGas,
            MaxPriorityFeePerGas = unsigned.MaxPriorityFeePerGas, AccessList = unsigned.AccessList,
            MaxFeePerBlobGas = unsigned.MaxFeePerBlobGas, BlobVersionedHashes = unsigned.BlobVersionedHashes,
        };
        ulong vOut = type != 0 ? (ulong)recId : eip155 ? (ulong)recId + 35 + 2 * chainId : (ulong)recId + 27;
        return new SignedTransaction { Tx = tx, Encoded = Encode(tx, type == 0 && !eip155 ? null : chainId, vOut, r, s, signed: true) };
    }

    private static bool Has(JsonElement j, string name) => j.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null;

    private static UInt256 Opt(JsonElement j, string name) => j.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? Num(e) : UInt256.Zero;

    internal static UInt256 Num(JsonElement e) => e.ValueKind == JsonValueKind.Number
        ? new UInt256(e.GetUInt64())
        : UInt256.Parse(e.GetString()!, allowDecimal: true);

    /// <summary>The address of a secp256k1 private key: keccak256(X ‖ Y)[12..].</summary>
    public static Address AddressOfKey(byte[] key)
    {
        var q = s_curve.G.Multiply(new BigInteger(1, key)).Normalize();
        Span<byte> pub = stackalloc byte[64];
        q.AffineXCoord.EncodeTo(pub[..32]);
        q.AffineYCoord.EncodeTo(pub[32..]);
        Span<byte> digest = stackalloc byte[32];
        Keccak256.Compute(pub, digest);
        return new Address(digest[12..]);
    }

    // Deterministic ECDSA (RFC 6979), low s (EIP-2); returns the recovery id.
    private static int Sign(byte[] key, byte[] hash, in Address sender, Span<byte> r32, Span<byte> s32)
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(new BigInteger(1, key), s_domain));
        var rs = signer.GenerateSignature(hash);
        var r = rs[0];
        var s = rs[1].CompareTo(s_halfN) > 0 ? s_curve.N.Subtract(rs[1]) : rs[1];
        r.ToByteArrayUnsigned().CopyTo(r32[(32 - r.ToByteArrayUnsigned().Length)..]);
        s.ToByteArrayUnsigned().CopyTo(s32[(32 - s.ToByteArrayUnsigned().Length)..]);
        Span<byte> a = stackalloc byte[20];
        for (int id = 0; id < 2; id++)
            if (EcRecoverPrecompile.TryRecoverAddress(hash, id, r32, s32, a) && new Address(a) == sender) return id;
        throw new InvalidOperationException("signature does not recover to the signer");
    }

    private static byte[] SigningHash(Transaction tx, ulong? chainId) =>
        Keccak256.Compute(Encode(tx, chainId, 0, default, default, signed: false)).ToBytes();

    /// <summary>
    /// The encoding of <paramref name="tx"/>: signed (with v/yParity, r, s) or the payload that is signed (legacy with
    /// <paramref name="chainId"/>: EIP-155's [..., chainId, 0, 0]).
    /// </summary>
    internal static byte[] Encode(Transaction tx, ulong? chainId, ulong v, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, bool signed)
    {
        var w = new RlpWriter(256 + tx.Data.Length);
        if (tx.Type != 0) w.WriteRaw([(byte)tx.Type]);
        int list = w.StartList();
        if (tx.Type != 0) w.Write(chainId ?? 1);
        w.Write(tx.Nonce);
        if (tx.Type >= 2)
        {
            w.Write(tx.MaxPriorityFeePerGas);
            w.Write(tx.MaxFeePerGas);
        }
        else w.Write(tx.GasPrice);
        w.Write((ulong)tx.GasLimit);
        if (tx.To is { } to) w.Write(to);
        else w.WriteBytes([]);
        w.Write(tx.Value);
        w.WriteBytes(tx.Data);
        if (tx.Type != 0)
        {
            int al = w.StartList();
            foreach (var e in tx.AccessList)
            {
                int one = w.StartList();
                w.Write(e.Address);
                int keys = w.StartList();
                foreach (var k in e.StorageKeys) w.Write(new Hash256(k));
                w.EndList(keys);
                w.EndList(one);
            }
            w.EndList(al);
        }
        if (tx.Type == 3)
        {
            w.Write(tx.MaxFeePerBlobGas);
            int hl = w.StartList();
            foreach (var h in tx.BlobVersionedHashes) w.Write(h);
            w.EndList(hl);
        }
        if (signed)
        {
            w.Write(v);
            w.Write(UInt256.ReadBigEndian(r));
            w.Write(UInt256.ReadBigEndian(s));
        }
        else if (tx.Type == 0 && chainId is { } c)
        {
            w.Write(c);
            w.Write(0UL);
            w.Write(0UL);
        }
        // EndList moves the payload after its header; for typed transactions the type byte stays in front.
        w.EndList(list);
        return w.ToArray();
    }
}
