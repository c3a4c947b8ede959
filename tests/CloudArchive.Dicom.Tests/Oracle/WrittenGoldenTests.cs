using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>
/// The writer against the pydicom goldens: every readable sample, rewritten by the project's writer in
/// each transfer syntax (encapsulated samples only in their own) and read back, still has the golden's
/// dataset. The File Meta group is left out because the writer regenerates it by design.
/// </summary>
public sealed class WrittenGoldenTests
{
    public static TheoryData<string, string> SamplesAndTargets()
    {
        var data = new TheoryData<string, string>();
        foreach (var sample in GoldenFile.SampleNames())
        {
            foreach (var target in OracleTargets.For(sample))
            {
                data.Add(sample, target);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndTargets))]
    public async Task Written_copy_reads_back_as_the_golden_dataset(string sample, string target)
    {
        var ct = TestContext.Current.CancellationToken;
        var golden = GoldenFile.Load(sample);
        await using var source = await DicomReader.ReadFileAsync(Samples.PathOf(sample), cancellationToken: ct);
        var ts = OracleTargets.Resolve(target, source.TransferSyntax);
        using var buffer = new MemoryStream();
        await source.WriteAsync(buffer, new DicomWriterOptions { TransferSyntax = ts }, ct);
        buffer.Position = 0;
        await using var written = await DicomReader.ReadAsync(buffer, cancellationToken: ct);

        Assert.Equal(ts.Uid, written.TransferSyntax.Uid);
        var expected = golden.Elements.Where(e => !e.Path.StartsWith("(0002,", StringComparison.Ordinal)).ToList();
        var actual = GoldenNormalizer.Normalize(written).Where(e => !e.Path.StartsWith("(0002,", StringComparison.Ordinal)).ToList();
        var mode = ts.IsExplicitVR ? GoldenComparison.WrittenExplicit : GoldenComparison.WrittenImplicit;
        var problems = GoldenComparer.Compare(expected, actual, mode);

        Assert.True(problems.Count == 0, $"{sample} -> {target}: {problems.Count} difference(s) from the pydicom golden:\n" + string.Join('\n', problems.Take(40)));
    }
}
