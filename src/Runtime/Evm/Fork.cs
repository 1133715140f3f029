namespace Jevm.Evm;

/// <summary>
/// The Ethereum hard forks that change EVM or transaction rules, oldest first. Forks that only moved the difficulty
/// bomb (Muir Glacier, Arrow Glacier, Gray Glacier) share the rules of the fork before them and have no entry.
/// </summary>
public enum Fork
{
    /// <summary>Frontier (2015).</summary>
    Frontier,
    /// <summary>Homestead: DELEGATECALL, EIP-2/7.</summary>
    Homestead,
    /// <summary>Tangerine Whistle (EIP-150): IO repricing, the 63/64 rule.</summary>
    TangerineWhistle,
    /// <summary>Spurious Dragon (EIP-155/158/160/161/170).</summary>
    SpuriousDragon,
    /// <summary>Byzantium: REVERT, RETURNDATA*, STATICCALL, precompiles 5–8.</summary>
    Byzantium,
    /// <summary>Constantinople: shifts, CREATE2, EXTCODEHASH, EIP-1283.</summary>
    Constantinople,
    /// <summary>Petersburg ("ConstantinopleFix"): Constantinople without EIP-1283.</summary>
    Petersburg,
    /// <summary>Istanbul: EIP-1884, 2200, 2028, 1344, 152, 1108.</summary>
    Istanbul,
    /// <summary>Berlin: EIP-2929 warm/cold access, EIP-2930 access lists, EIP-2565 modexp.</summary>
    Berlin,
    /// <summary>London: EIP-1559, 3198 BASEFEE, 3529 refunds, 3541.</summary>
    London,
    /// <summary>Paris (the Merge): PREVRANDAO.</summary>
    Paris,
    /// <summary>Shanghai: PUSH0, EIP-3651, EIP-3860.</summary>
    Shanghai,
    /// <summary>Cancun: EIP-1153, 4844, 5656, 6780, 7516.</summary>
    Cancun,
    /// <summary>Prague (Pectra): EIP-7702, 7623, 7691, 2537, 2935.</summary>
    Prague,
    /// <summary>Osaka (Fusaka): EIP-7939 CLZ, 7951, 7823, 7883, 7825, 7918.</summary>
    Osaka,
}

/// <summary>Maps fork names (including the aliases used by test fixtures) to <see cref="Fork"/>.</summary>
public static class ForkNames
{
    private static readonly Dictionary<string, Fork> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Frontier"] = Fork.Frontier,
        ["Homestead"] = Fork.Homestead,
        ["TangerineWhistle"] = Fork.TangerineWhistle,
        ["EIP150"] = Fork.TangerineWhistle,
        ["SpuriousDragon"] = Fork.SpuriousDragon,
        ["EIP158"] = Fork.SpuriousDragon,
        ["Byzantium"] = Fork.Byzantium,
        ["Constantinople"] = Fork.Constantinople,
        ["Petersburg"] = Fork.Petersburg,
        ["ConstantinopleFix"] = Fork.Petersburg,
        ["Istanbul"] = Fork.Istanbul,
        ["MuirGlacier"] = Fork.Istanbul,
        ["Berlin"] = Fork.Berlin,
        ["London"] = Fork.London,
        ["ArrowGlacier"] = Fork.London,
        ["GrayGlacier"] = Fork.London,
        ["Paris"] = Fork.Paris,
        ["Merge"] = Fork.Paris,
        ["Shanghai"] = Fork.Shanghai,
        ["Cancun"] = Fork.Cancun,
        ["Prague"] = Fork.Prague,
        ["Osaka"] = Fork.Osaka,
    };

    /// <summary>Every accepted name, canonical names first.</summary>
    public static IReadOnlyCollection<string> Known => s_byName.Keys;

    /// <summary>Looks a fork up by name, ignoring case.</summary>
    public static bool TryParse(string name, out Fork fork) => s_byName.TryGetValue(name.Trim(), out fork);

    /// <summary>Looks a fork up by name; an unknown name throws with the list of known ones.</summary>
    public static Fork Parse(string name)
    {
        if (TryParse(name, out var f)) return f;
        throw new ArgumentException($"unknown fork '{name}'; known forks: {string.Join(", ", Enum.GetNames<Fork>())} (aliases: EIP150, EIP158, ConstantinopleFix, MuirGlacier, ArrowGlacier, GrayGlacier, Merge)");
    }
}
