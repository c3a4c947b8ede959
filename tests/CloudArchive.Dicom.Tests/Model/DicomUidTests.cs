using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

public sealed class DicomUidTests
{
    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2")]
    [InlineData("1.2.3\0", "1.2.3")]
    [InlineData("1.2.3 ", "1.2.3")]
    [InlineData("0.1.0", "0.1.0")]
    [InlineData("999.999.1", "999.999.1")]
    public void Valid_uids_are_accepted_with_trailing_padding_removed(string raw, string expected)
    {
        Assert.True(DicomUid.TryNormalize(raw, out var uid, out _));
        Assert.Equal(expected, uid);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" 1.2.3", "character")]
    [InlineData("1.02.3", "leading zero")]
    [InlineData("1..3", "empty component")]
    [InlineData("1.2.", "empty component")]
    [InlineData("1.2.3a", "character")]
    [InlineData("a3f9c1b2e0d4", "character")]
    [InlineData("1.2.3\01", "character")]
    public void Malformed_uids_are_rejected_with_a_reason_that_does_not_echo_the_value(string raw, string expectedProblem)
    {
        Assert.False(DicomUid.TryNormalize(raw, out _, out var problem));
        Assert.Contains(expectedProblem, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_uid_longer_than_64_characters_is_rejected()
    {
        Assert.True(DicomUid.TryNormalize("1." + new string('1', 62), out _, out _));
        Assert.False(DicomUid.TryNormalize("1." + new string('1', 63), out _, out var problem));
        Assert.Contains("65 characters", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("0.0")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("2.25.329800735698586629295641978511506172918")]
    public void IsValid_accepts_well_formed_uids(string uid) => Assert.True(DicomUid.IsValid(uid));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".1.2")]
    [InlineData("1.2.")]
    [InlineData("1..2")]
    [InlineData("1.02")]
    [InlineData("00.1")]
    [InlineData("1.2.3\0")]
    [InlineData("1.2.3 ")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3\n")]
    [InlineData("1.2.-3")]
    [InlineData("1.2.+3")]
    [InlineData("1.2.３")]
    [InlineData("1.2.e3")]
    public void IsValid_rejects_malformed_or_padded_uids(string? uid) => Assert.False(DicomUid.IsValid(uid));

    [Fact]
    public void IsValid_allows_exactly_64_characters()
    {
        Assert.True(DicomUid.IsValid("1." + new string('1', 62)));
        Assert.False(DicomUid.IsValid("1." + new string('1', 63)));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("12345")]
    public void A_single_component_is_accepted_as_the_archive_always_has(string uid)
    {
        // PS3.5 9.1 asks for an org root and a suffix; refusing a lone component would quarantine studies the
        // ingest has always archived, so the one validator keeps the rule two of the three old ones had.
        Assert.True(DicomUid.IsValid(uid));
        Assert.True(DicomUid.TryNormalize(uid + "\0", out var normalized, out _));
        Assert.Equal(uid, normalized);
    }

    [Fact]
    public void A_problem_never_quotes_the_value()
    {
        Assert.False(DicomUid.TryNormalize("12345.0678", out _, out var problem));
        Assert.Contains("leading zero", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("0678", problem, StringComparison.Ordinal);
    }
}
