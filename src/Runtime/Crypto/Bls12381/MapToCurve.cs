namespace Jevm.Crypto.Bls12381;

/// <summary>
/// The EIP-2537 field-to-curve maps (RFC 9380 simplified SWU onto an isogenous curve, the 11-isogeny resp. 3-isogeny
/// to BLS12-381, then cofactor clearing). Constants from EIP-2537's assets/eip-2537/field_to_curve.md (= RFC 9380
/// sections 8.8.1 and 8.8.2, appendices E.2 and E.3).
/// </summary>
internal static class MapToCurve
{
    // ---- G1: E1': y² = x³ + A'x + B', Z = 11, h_eff = 0xd201000000010001 ----
    private static readonly Fp s_a1 = Fp.FromHex("144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d");
    private static readonly Fp s_b1 = Fp.FromHex("12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0");
    private static readonly Fp s_z1 = Fp.FromUInt64(11);
    private const ulong G1CofactorEff = 0xd201000000010001UL;

    private static readonly Fp[] s_xNum1 = Parse1(
        "11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
        "17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
        "0d54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
        "1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
        "0e99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9",
        "1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
        "0d6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
        "17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
        "080d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
        "169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
        "10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
        "06e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229");

    private static readonly Fp[] s_xDen1 = Parse1(
        "08ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
        "12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
        "0b2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
        "03425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
        "13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
        "0e7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
        "0772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
        "14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
        "0a10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641",
        "095fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a",
        "01"); // monic

    private static readonly Fp[] s_yNum1 = Parse1(
        "090d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
        "134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
        "00cc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6",
        "01f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
        "08cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
        "16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
        "04ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
        "0987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29",
        "09fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
        "0e1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
        "19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132",
        "18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
        "0b182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
        "0245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
        "05c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
        "15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604");

    private static readonly Fp[] s_yDen1 = Parse1(
        "16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
        "1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
        "058df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
        "16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416",
        "0be0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
        "08d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
        "166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
        "16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9",
        "1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
        "167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
        "04d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
        "0accbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
        "0ad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
        "02660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7",
        "0e0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f",
        "01"); // monic

    // ---- G2: E2': y² = x³ + A'x + B', A' = 240u, B' = 1012(1 + u), Z = -(2 + u) ----
    private static readonly Fp2 s_a2 = new(Fp.Zero, Fp.FromUInt64(240));
    private static readonly Fp2 s_b2 = new(Fp.FromUInt64(1012), Fp.FromUInt64(1012));
    private static readonly Fp2 s_z2 = new(-Fp.FromUInt64(2), -Fp.One);

    // h_eff for G2 (RFC 9380 section 8.8.2), big-endian.
    private static readonly byte[] s_g2CofactorEff = Hex(
        "0bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1329c2f178731db956d82bf015d1212b02ec0ec69d7477c1ae954cbc06689f6a359894c0adebbf6b4e8020005aaa95551");

    private const string P = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffff";

    private static readonly Fp2[] s_xNum2 =
    [
        F2("05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
           "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
        F2("00", "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
        F2("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
           "08ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
        F2("171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1", "00"),
    ];

    private static readonly Fp2[] s_xDen2 =
    [
        F2("00", P + "aa63"),
        F2("0c", P + "aa9f"),
        F2("01", "00"), // monic
    ];

    private static readonly Fp2[] s_yNum2 =
    [
        F2("1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
           "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
        F2("00", "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
        F2("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
           "08ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
        F2("124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10", "00"),
    ];

    private static readonly Fp2[] s_yDen2 =
    [
        F2(P + "a8fb", P + "a8fb"),
        F2("00", P + "a9d3"),
        F2("12", P + "aa99"),
        F2("01", "00"), // monic
    ];

    private static Fp[] Parse1(params string[] hex)
    {
        var r = new Fp[hex.Length];
        for (int i = 0; i < hex.Length; i++) r[i] = Fp.FromHex(hex[i]);
        return r;
    }

    private static Fp2 F2(string c0, string c1) => new(Fp.FromHex(c0), Fp.FromHex(c1));

    private static byte[] Hex(string h) => Convert.FromHexString(h);

    // ---- G1 ----

    /// <summary>MAP_FP_TO_G1: a point of G1 for any field element.</summary>
    public static AffinePoint<Fp> MapToG1(in Fp u)
    {
        SimplifiedSwu(u, out Fp xp, out Fp yp);
        var q = IsoMapG1(xp, yp);
        return q.Multiply(G1CofactorEff).ToAffine();
    }

    /// <summary>Simplified SWU onto E1' (RFC 9380 section 6.6.2, non-constant-time form).</summary>
    internal static void SimplifiedSwu(in Fp u, out Fp x, out Fp y)
    {
        Fp u2 = u.Square();
        Fp zu2 = s_z1 * u2;
        Fp den = zu2.Square() + zu2; // Z²u⁴ + Zu²
        Fp x1;
        if (den.IsZero)
            x1 = s_b1 * (s_z1 * s_a1).Inverse();
        else
            x1 = -s_b1 * s_a1.Inverse() * (Fp.One + den.Inverse());
        Fp gx1 = (x1.Square() + s_a1) * x1 + s_b1;
        if (gx1.TrySqrt(out y))
            x = x1;
        else
        {
            x = zu2 * x1;
            Fp gx2 = (x.Square() + s_a1) * x + s_b1;
            gx2.TrySqrt(out y); // g(x2) = Z³u⁶·g(x1) is square when g(x1) is not.
        }
        if (u.Sgn0 != y.Sgn0) y = -y;
    }

    private static JacobianPoint<Fp> IsoMapG1(in Fp x, in Fp y)
    {
        Fp xNum = Horner(s_xNum1, x), xDen = Horner(s_xDen1, x);
        Fp yNum = Horner(s_yNum1, x), yDen = Horner(s_yDen1, x);
        if (xDen.IsZero || yDen.IsZero) return JacobianPoint<Fp>.Infinity;
        // Jacobian (X, Y, Z) with Z = xDen·yDen avoids inversions: x = X/Z², y = Y/Z³.
        Fp z = xDen * yDen;
        Fp X = xNum * yDen * z;
        Fp Y = y * yNum * xDen * z.Square();
        return new JacobianPoint<Fp>(X, Y, z);
    }

    private static Fp Horner(Fp[] k, in Fp x)
    {
        Fp acc = k[^1];
        for (int i = k.Length - 2; i >= 0; i--) acc = acc * x + k[i];
        return acc;
    }

    // ---- G2 ----

    /// <summary>MAP_FP2_TO_G2: a point of G2 for any Fp2 element.</summary>
    public static AffinePoint<Fp2> MapToG2(in Fp2 u)
    {
        SimplifiedSwu(u, out Fp2 xp, out Fp2 yp);
        var q = IsoMapG2(xp, yp);
        return q.Multiply(s_g2CofactorEff).ToAffine();
    }

    internal static void SimplifiedSwu(in Fp2 u, out Fp2 x, out Fp2 y)
    {
        Fp2 u2 = u.Square();
        Fp2 zu2 = s_z2 * u2;
        Fp2 den = zu2.Square() + zu2;
        Fp2 x1;
        if (den.IsZero)
            x1 = s_b2 * (s_z2 * s_a2).Inverse();
        else
            x1 = -s_b2 * s_a2.Inverse() * (Fp2.One + den.Inverse());
        Fp2 gx1 = (x1.Square() + s_a2) * x1 + s_b2;
        if (gx1.TrySqrt(out y))
            x = x1;
        else
        {
            x = zu2 * x1;
            Fp2 gx2 = (x.Square() + s_a2) * x + s_b2;
            gx2.TrySqrt(out y);
        }
        if (u.Sgn0 != y.Sgn0) y = -y;
    }

    private static JacobianPoint<Fp2> IsoMapG2(in Fp2 x, in Fp2 y)
    {
        Fp2 xNum = Horner(s_xNum2, x), xDen = Horner(s_xDen2, x);
        Fp2 yNum = Horner(s_yNum2, x), yDen = Horner(s_yDen2, x);
        if (xDen.IsZero || yDen.IsZero) return JacobianPoint<Fp2>.Infinity;
        Fp2 z = xDen * yDen;
        Fp2 X = xNum * yDen * z;
        Fp2 Y = y * yNum * xDen * z.Square();
        return new JacobianPoint<Fp2>(X, Y, z);
    }

    private static Fp2 Horner(Fp2[] k, in Fp2 x)
    {
        Fp2 acc = k[^1];
        for (int i = k.Length - 2; i >= 0; i--) acc = acc * x + k[i];
        return acc;
    }
}
