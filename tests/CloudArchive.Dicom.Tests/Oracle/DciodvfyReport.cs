using System.Text.RegularExpressions;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>
/// dciodvfy's '^Error' lines for a file, with the rules of tools/oracles/check-roundtrip.sh: a deflated
/// file is validated after DCMTK inflates it (dciodvfy cannot read deflated files), and errors on the
/// regenerated meta UIDs (0002,0002)/(0002,0003) are named after their dataset sources (0008,0016)/(0008,0018).
/// </summary>
public sealed partial class DciodvfyReport
{
    private DciodvfyReport(bool crashed, IReadOnlyList<string> errors)
    {
        Crashed = crashed;
        Errors = errors;
    }

    /// <summary>dciodvfy aborted (exit 134, e.g. its assertion on badVR.dcm and rtdose.dcm).</summary>
    public bool Crashed { get; }

    /// <summary>The normalized error lines.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>How a file is handed to dciodvfy.</summary>
    public enum Mode
    {
        /// <summary>As a Part 10 file (inflated first when deflated).</summary>
        File,

        /// <summary>As the bare dataset DCMTK writes with <c>dcmconv +te -F</c> (used on both sides of the deflated target).</summary>
        Dataset,
    }

    /// <summary>Validates <paramref name="path"/>; <paramref name="sampleName"/> selects the options for samples without File Meta.</summary>
    public static async Task<DciodvfyReport> RunAsync(string path, string sampleName, Mode mode, string scratch, CancellationToken cancellationToken)
    {
        var dcmconv = OracleTool.Find("dcmconv") ?? throw new InvalidOperationException("dcmconv is not installed");
        var dciodvfy = OracleTool.Find("dciodvfy") ?? throw new InvalidOperationException("dciodvfy is not installed");
        var args = NoMetaArguments(sampleName).ToList();
        var file = path;
        if (mode == Mode.Dataset)
        {
            file = Path.Combine(scratch, Path.GetFileName(path) + ".dataset");
            await MustSucceed(await OracleTool.RunAsync(dcmconv, ["-q", "+te", "-F", path, file], cancellationToken), "dcmconv +te -F");
            args = ["-input-nometa", "-input-endian", "little", "-input-vr", "explicit"];
        }
        else if (await IsDeflatedAsync(path, cancellationToken))
        {
            file = Path.Combine(scratch, Path.GetFileName(path) + ".inflated");
            await MustSucceed(await OracleTool.RunAsync(dcmconv, ["-q", "+te", path, file], cancellationToken), "dcmconv +te");
        }

        var result = await OracleTool.RunAsync(dciodvfy, [.. args, file], cancellationToken);
        if (result.ExitCode == 134)
        {
            return new DciodvfyReport(true, []);
        }

        var lines = (result.Stderr + "\n" + result.Stdout).Split('\n')
            .Where(l => l.StartsWith("Error", StringComparison.Ordinal))
            .Select(l => MetaInstance().Replace(MetaClass().Replace(l.TrimEnd('\r'), "(0x0008,0x0016)$1 SOP Class UID"), "(0x0008,0x0018)$1 SOP Instance UID"))
            .ToList();
        return new DciodvfyReport(false, lines);
    }

    /// <summary>Error messages of <paramref name="output"/> that <paramref name="input"/> does not have.</summary>
    public static IReadOnlyList<string> NewErrors(DciodvfyReport input, DciodvfyReport output) =>
        output.Errors.Distinct(StringComparer.Ordinal).Except(input.Errors, StringComparer.Ordinal).ToList();

    private static IEnumerable<string> NoMetaArguments(string sample) => sample switch
    {
        "rtstruct.dcm" => ["-input-nometa", "-input-endian", "little", "-input-vr", "implicit"],
        "ExplVR_LitEndNoMeta.dcm" => ["-input-nometa", "-input-endian", "little", "-input-vr", "explicit"],
        "ExplVR_BigEndNoMeta.dcm" => ["-input-nometa", "-input-endian", "big", "-input-vr", "explicit"],
        _ => [],
    };

    private static async Task<bool> IsDeflatedAsync(string path, CancellationToken cancellationToken)
    {
        var dump = await OracleTool.RunAsync(OracleTool.Find("dcmdump")!, ["-q", "-M", "-Un", "+P", "0002,0010", path], cancellationToken);
        return dump.Stdout.Contains("[1.2.840.10008.1.2.1.99]", StringComparison.Ordinal);
    }

    private static Task MustSucceed(OracleTool.Result result, string what) =>
        result.ExitCode == 0 ? Task.CompletedTask : throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.Stderr}");

    [GeneratedRegex(@"\(0x0002,0x0003\)( UI)? Media Storage SOP Instance UID")]
    private static partial Regex MetaInstance();

    [GeneratedRegex(@"\(0x0002,0x0002\)( UI)? Media Storage SOP Class UID")]
    private static partial Regex MetaClass();
}
