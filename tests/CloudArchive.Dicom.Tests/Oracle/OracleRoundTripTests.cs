using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>
/// Every readable sample written by the project's writer in each target transfer syntax must be
/// accepted by DCMTK (<c>dcmdump -q</c> exit 0) and must not give dicom3tools' <c>dciodvfy</c> an error
/// the input did not have. Skipped when the tools are not installed (CI installs them: .ci/run);
/// tools/oracles/check-roundtrip.sh runs the same checks through the CLI.
/// </summary>
public sealed class OracleRoundTripTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ca-oracle-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [MemberData(nameof(WrittenGoldenTests.SamplesAndTargets), MemberType = typeof(WrittenGoldenTests))]
    public async Task Written_copy_is_accepted_by_dcmdump_and_adds_no_dciodvfy_error(string sample, string target)
    {
        foreach (var tool in new[] { "dcmdump", "dcmconv", "dciodvfy" })
        {
            if (OracleTool.Find(tool) is null)
            {
                Assert.Skip($"{tool} is not installed (apt-get install dcmtk dicom3tools)");
            }
        }

        var ct = TestContext.Current.CancellationToken;
        var input = Path.Combine(_scratch, "input-" + sample);
        File.Copy(Samples.PathOf(sample), input);
        var output = Path.Combine(_scratch, $"{Path.GetFileNameWithoutExtension(sample)}.{target}.dcm");
        await using (var source = await DicomReader.ReadFileAsync(input, cancellationToken: ct))
        {
            await source.SaveAsync(output, new DicomWriterOptions { TransferSyntax = OracleTargets.Resolve(target, source.TransferSyntax) }, ct);
        }

        var dump = await OracleTool.RunAsync(OracleTool.Find("dcmdump")!, ["-q", output], ct);
        Assert.True(dump.ExitCode == 0, $"dcmdump -q exit {dump.ExitCode}: {dump.Stderr}");

        var mode = target == "deflated" ? DciodvfyReport.Mode.Dataset : DciodvfyReport.Mode.File;
        var before = await DciodvfyReport.RunAsync(input, sample, mode, _scratch, ct);
        var after = await DciodvfyReport.RunAsync(output, Path.GetFileName(output), mode, _scratch, ct);
        if (before.Crashed || after.Crashed)
        {
            Assert.Skip($"dciodvfy crashed (exit 134) on the {(before.Crashed ? "input" : "output")}: an oracle defect, not a result");
        }

        if (after.Errors.Count > before.Errors.Count)
        {
            var added = DciodvfyReport.NewErrors(before, after);
            Assert.True(added.Count == 0, $"dciodvfy errors {before.Errors.Count} -> {after.Errors.Count}; new:\n{string.Join('\n', added.Take(10))}");
        }
    }
}
