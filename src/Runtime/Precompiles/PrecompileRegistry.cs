using Jevm.Evm;
using Jevm.Primitives;

namespace Jevm.Precompiles;

/// <summary>Which precompile lives at which address in which fork.</summary>
public static class PrecompileRegistry
{
    // Address number → (fork it appears in, implementation). Implementations register here as they land.
    private static readonly (Fork Since, IPrecompile? Impl)[] s_table = Build();

    private static (Fork, IPrecompile?)[] Build()
    {
        var t = new (Fork, IPrecompile?)[0x12];
        t[0x01] = (Fork.Frontier, EcRecoverPrecompile.Instance);         // ecrecover
        t[0x02] = (Fork.Frontier, Sha256Precompile.Instance);         // SHA-256
        t[0x03] = (Fork.Frontier, Ripemd160Precompile.Instance);         // RIPEMD-160
        t[0x04] = (Fork.Frontier, IdentityPrecompile.Instance);         // identity
        t[0x05] = (Fork.Byzantium, ModExpPrecompile.Instance);        // modexp (EIP-198)
        t[0x06] = (Fork.Byzantium, Bn254AddPrecompile.Instance);        // BN254 add (EIP-196)
        t[0x07] = (Fork.Byzantium, Bn254MulPrecompile.Instance);        // BN254 mul (EIP-196)
        t[0x08] = (Fork.Byzantium, Bn254PairingPrecompile.Instance);        // BN254 pairing (EIP-197)
        t[0x09] = (Fork.Istanbul, Blake2fPrecompile.Instance);         // blake2f (EIP-152)

        // Elliptic-curve precompiles of Cancun and later (BLS12-381 family, KZG); the BN254 ones are above.
        t[0x0a] = (Fork.Cancun, Kzg.PointEvaluationPrecompile.Instance); // KZG point evaluation (EIP-4844)
        t[0x0b] = (Fork.Prague, Bls12381.G1AddPrecompile.Instance);         // BLS12-381 G1ADD (EIP-2537)
        t[0x0c] = (Fork.Prague, Bls12381.G1MsmPrecompile.Instance);         // BLS12-381 G1MSM
        t[0x0d] = (Fork.Prague, Bls12381.G2AddPrecompile.Instance);         // BLS12-381 G2ADD
        t[0x0e] = (Fork.Prague, Bls12381.G2MsmPrecompile.Instance);         // BLS12-381 G2MSM
        t[0x0f] = (Fork.Prague, Bls12381.PairingCheckPrecompile.Instance);  // BLS12-381 PAIRING_CHECK
        t[0x10] = (Fork.Prague, Bls12381.MapFpToG1Precompile.Instance);     // BLS12-381 MAP_FP_TO_G1
        t[0x11] = (Fork.Prague, Bls12381.MapFp2ToG2Precompile.Instance);    // BLS12-381 MAP_FP2_TO_G2
        return t;
    }

    /// <summary>
    /// True when <paramref name="address"/> is a precompile in <paramref name="fork"/> (whether or not Jevm implements
    /// it yet: the address is warm and behaves as a precompile either way).
    /// </summary>
    public static bool IsPrecompile(in Address address, Fork fork)
    {
        if (address.IsAtMost(0x11))
        {
            ulong n = address.LowBits;
            return n != 0 && s_table[n].Since <= fork;
        }
        return fork >= Fork.Osaka && address.IsAtMost(0x100) && address.LowBits == 0x100; // P256VERIFY (EIP-7951)
    }

    /// <summary>The implementation at <paramref name="address"/>, or null when there is none (yet).</summary>
    public static IPrecompile? Get(in Address address, Fork fork)
    {
        if (!IsPrecompile(address, fork)) return null;
        ulong n = address.LowBits;
        return n < (ulong)s_table.Length ? s_table[n].Impl : s_p256Verify;
    }

    private static readonly IPrecompile? s_p256Verify = P256VerifyPrecompile.Instance; // EIP-7951, Osaka

    /// <summary>All precompile addresses of a fork, for EIP-2929 pre-warming.</summary>
    public static IEnumerable<Address> Addresses(Fork fork)
    {
        for (ulong n = 1; n < (ulong)s_table.Length; n++)
            if (s_table[n].Since <= fork) yield return Address.FromNumber(n);
        if (fork >= Fork.Osaka) yield return Address.FromNumber(0x100);
    }
}
