namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>The target transfer syntaxes of the oracle round trips (same list as tools/oracles/check-roundtrip.sh).</summary>
public static class OracleTargets
{
    private static readonly string[] Native = ["source", "implicit", "explicit", "big", "deflated"];

    /// <summary>Targets for a sample: all five for a native one, only its own for an encapsulated one.</summary>
    public static IEnumerable<string> For(string sample)
    {
        var golden = GoldenFile.Load(sample);
        var uid = (string?)golden.Root["transferSyntaxUid"];
        return uid is null || !TransferSyntax.Lookup(uid).IsEncapsulated ? Native : ["source"];
    }

    /// <summary>The transfer syntax a target word names; "source" is the file's own.</summary>
    public static TransferSyntax Resolve(string target, TransferSyntax source) => target switch
    {
        "source" => source,
        "implicit" => TransferSyntax.ImplicitVRLittleEndian,
        "explicit" => TransferSyntax.ExplicitVRLittleEndian,
        "big" => TransferSyntax.ExplicitVRBigEndian,
        "deflated" => TransferSyntax.DeflatedExplicitVRLittleEndian,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown target"),
    };
}
