using Jevm.Crypto;
using Jevm.Crypto.Secp256k1;
using Jevm.Evm;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x01: secp256k1 public-key recovery. Input (zero-padded to 128 bytes): hash, v, r, s as 32-byte words.
/// Output: the signer's address left-padded to 32 bytes, or empty (still a success) when the signature is invalid
/// (v not 27/28, r or s outside [1, n−1], or no key recoverable). Gas 3000.
/// </summary>
public sealed class EcRecoverPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly EcRecoverPrecompile Instance = new();

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => 3000;

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        Span<byte> buf = stackalloc byte[128];
        PrecompileInput.CopyPadded(input, 0, buf);
        output = [];
        // v is a full word: 31 zero bytes then 27 or 28.
        for (int i = 32; i < 63; i++)
            if (buf[i] != 0) return true;
        byte v = buf[63];
        if (v != 27 && v != 28) return true;

        Span<byte> address = stackalloc byte[20];
        if (!TryRecoverAddress(buf.Slice(0, 32), v - 27, buf.Slice(64, 32), buf.Slice(96, 32), address)) return true;
        output = new byte[32];
        address.CopyTo(output.AsSpan(12));
        return true;
    }

    /// <summary>
    /// Recovers the address that signed <paramref name="hash"/> with (<paramref name="recoveryId"/>, r, s): the last 20
    /// bytes of keccak256 of the public key. False when the recovery id is not 0 or 1, r or s is outside [1, n − 1], or
    /// no public key results (see <see cref="Secp256k1Curve.TryRecoverPublicKey"/>).
    /// </summary>
    internal static bool TryRecoverAddress(ReadOnlySpan<byte> hash, int recoveryId, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, Span<byte> address20)
    {
        Span<byte> pub = stackalloc byte[64];
        if (!Secp256k1Curve.TryRecoverPublicKey(hash, recoveryId, r32, s32, pub)) return false;
        Span<byte> digest = stackalloc byte[32];
        Keccak256.Compute(pub, digest);
        digest.Slice(12).CopyTo(address20);
        return true;
    }
}
