using CloudArchive.Core.DicomWeb.Stow;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.DicomWeb.Stow;

/// <summary>
/// The head scanner against the full DICOM reader on every readable sample (all transfer syntaxes the samples have:
/// implicit and explicit little endian, big endian, deflated, encapsulated), and on heads cut short.
/// </summary>
public sealed class StowPartIdentityReaderTests
{
    private static readonly DicomTag SopClass = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstance = new(0x0008, 0x0018);
    private static readonly DicomTag Study = new(0x0020, 0x000D);
    private static readonly DicomTag Series = new(0x0020, 0x000E);

    public static TheoryData<string> Samples() => [.. Directory.GetFiles(SampleDirectory(), "*.dcm").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task The_head_gives_the_uids_the_full_reader_finds(string sample)
    {
        var path = Path.Combine(SampleDirectory(), sample);
        DicomFile file;
        try
        {
            file = await DicomFile.OpenAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        }
        catch (DicomFormatException)
        {
            // A deliberately broken sample: the scanner must still not throw.
            _ = StowPartIdentityReader.Read(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
            return;
        }

        await using (file)
        {
            var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
            var identity = StowPartIdentityReader.Read(bytes.AsSpan(0, Math.Min(bytes.Length, StowService.DefaultHeadBytes)));
            if (bytes.Length < 132 || !bytes.AsSpan(128, 4).SequenceEqual("DICM"u8))
            {
                // Not Part 10 (the ingest quarantines it as not-part10): the scanner names nothing rather than guess the encoding.
                Assert.Equal(StowPartIdentity.Unknown, identity);
                return;
            }

            Assert.Equal(Uid(file.Dataset.GetString(Study)), identity.StudyInstanceUid);
            Assert.Equal(Uid(file.Dataset.GetString(Series)), identity.SeriesInstanceUid);
            Assert.Equal(Uid(file.Dataset.GetString(SopInstance)) ?? Uid(file.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0003))), identity.SopInstanceUid);
            Assert.Equal(Uid(file.Dataset.GetString(SopClass)) ?? Uid(file.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0002))), identity.SopClassUid);
        }
    }

    [Fact]
    public async Task A_head_cut_before_the_series_uid_gives_what_it_holds_and_nothing_invented()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(SampleDirectory(), "CT_small.dcm"), TestContext.Current.CancellationToken);
        var full = StowPartIdentityReader.Read(bytes);
        Assert.True(full.IsComplete);

        for (var cut = 0; cut < 2048; cut += 7)
        {
            var partial = StowPartIdentityReader.Read(bytes.AsSpan(0, cut));
            Assert.True(partial.StudyInstanceUid is null || partial.StudyInstanceUid == full.StudyInstanceUid);
            Assert.True(partial.SeriesInstanceUid is null || partial.SeriesInstanceUid == full.SeriesInstanceUid);
            Assert.True(partial.SopInstanceUid is null || partial.SopInstanceUid == full.SopInstanceUid);
            Assert.True(partial.SopClassUid is null || partial.SopClassUid == full.SopClassUid);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not dicom at all")]
    public void Anything_without_the_part10_header_is_unknown(string text)
    {
        Assert.Equal(StowPartIdentity.Unknown, StowPartIdentityReader.Read(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    private static string? Uid(string? raw) => DicomUid.TryNormalize(raw, out var uid, out _) ? uid : null;

    private static string SampleDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "testdata", "dicom");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("testdata/dicom not found above the test binaries.");
    }
}
