using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>
/// The reader against the committed pydicom 2.3.1 goldens (tools/oracles/make-goldens.py): every
/// tag path, VR and normalized value of every readable sample must match.
/// </summary>
public sealed class GoldenTests
{
    [Fact]
    public void Every_readable_sample_has_a_golden_and_no_unreadable_sample_has_one()
    {
        var withGolden = GoldenFile.SampleNames().ToHashSet(StringComparer.Ordinal);
        var readable = Samples.AllNames().Where(n => !Samples.Unreadable.Contains(n)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(readable.Order(StringComparer.Ordinal), withGolden.Order(StringComparer.Ordinal));
        Assert.Equal(39, withGolden.Count);
    }

    [Theory]
    [MemberData(nameof(GoldenFile.Theory), MemberType = typeof(GoldenFile))]
    public void Golden_was_made_from_the_committed_sample_and_has_no_oracle_problems(string sample)
    {
        var golden = GoldenFile.Load(sample);

        Assert.Equal(sample, golden.Sample);
        Assert.Equal(golden.SampleSha256, GoldenFile.Sha256Of(Samples.PathOf(sample)));
        Assert.Empty(golden.Root["oracleProblems"]!.AsArray());
        Assert.NotEmpty(golden.Elements);
    }

    [Theory]
    [MemberData(nameof(GoldenFile.Theory), MemberType = typeof(GoldenFile))]
    public async Task Reader_matches_the_pydicom_golden(string sample)
    {
        var golden = GoldenFile.Load(sample);
        await using var file = await DicomReader.ReadFileAsync(Samples.PathOf(sample), cancellationToken: TestContext.Current.CancellationToken);

        var problems = GoldenComparer.Compare(golden.Elements, GoldenNormalizer.Normalize(file));

        Assert.True(problems.Count == 0, $"{sample}: {problems.Count} difference(s) from the pydicom golden:\n" + string.Join('\n', problems.Take(40)));
    }

    [Theory]
    [MemberData(nameof(GoldenFile.Theory), MemberType = typeof(GoldenFile))]
    public async Task Reader_matches_the_golden_when_every_value_is_bulk_data(string sample)
    {
        // A threshold of 0 makes every binary value and fragment a streamed bulk reference, the path
        // large pixel data takes; the values seen through it must be the same.
        var golden = GoldenFile.Load(sample);
        var options = new DicomReaderOptions { BulkDataThreshold = 0 };
        await using var file = await DicomReader.ReadFileAsync(Samples.PathOf(sample), options, TestContext.Current.CancellationToken);

        var problems = GoldenComparer.Compare(golden.Elements, GoldenNormalizer.Normalize(file));

        Assert.True(problems.Count == 0, $"{sample}: {problems.Count} difference(s) from the pydicom golden:\n" + string.Join('\n', problems.Take(40)));
    }

    [Theory]
    [MemberData(nameof(GoldenFile.Theory), MemberType = typeof(GoldenFile))]
    public async Task Reader_matches_the_golden_from_a_non_seekable_stream_with_spooled_bulk_data(string sample)
    {
        // A download stream cannot be revisited: values above a (small) threshold go to the spool file.
        var golden = GoldenFile.Load(sample);
        var options = new DicomReaderOptions { BulkDataThreshold = 256 };
        var ct = TestContext.Current.CancellationToken;
        await using var stream = new NonSeekableReadStream(File.OpenRead(Samples.PathOf(sample)));
        await using var file = await DicomReader.ReadAsync(stream, options, ct);

        var problems = GoldenComparer.Compare(golden.Elements, GoldenNormalizer.Normalize(file));

        Assert.True(problems.Count == 0, $"{sample}: {problems.Count} difference(s) from the pydicom golden:\n" + string.Join('\n', problems.Take(40)));
    }
}
