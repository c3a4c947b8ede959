using CloudArchive.Core.DicomWeb.Query;
using Xunit;

namespace CloudArchive.Core.Tests.DicomWeb;

public sealed class QidoQueryParserTests
{
    private static readonly FakeEntity Ct = new(new()
    {
        ["StudyInstanceUID"] = ["2.25.1"], ["SeriesInstanceUID"] = ["2.25.11"], ["SOPInstanceUID"] = ["2.25.111"],
        ["StudyDate"] = ["20240115"], ["StudyTime"] = ["073015.25"], ["ModalitiesInStudy"] = ["CT", "SR"], ["Modality"] = ["CT"],
        ["PatientName"] = ["Anon^Subject001"], ["PatientID"] = ["SUBJ-001"], ["AccessionNumber"] = [], ["SeriesNumber"] = ["3"],
        ["InstanceNumber"] = ["12"], ["SOPClassUID"] = ["1.2.840.10008.5.1.4.1.1.2"],
    });

    private static QidoQuery Parse(QidoLevel level, params (string, string)[] parameters) =>
        QidoQueryParser.Parse(level, null, null, parameters.Select(p => KeyValuePair.Create(p.Item1, p.Item2)));

    [Theory]
    [InlineData(QidoLevel.Study, "StudyInstanceUID", "2.25.1", true)]
    [InlineData(QidoLevel.Study, "StudyInstanceUID", "2.25.2", false)]
    [InlineData(QidoLevel.Study, "0020000D", "2.25.9\\2.25.1", true)]
    [InlineData(QidoLevel.Study, "StudyInstanceUID", "2.25.9,2.25.8", false)]
    [InlineData(QidoLevel.Study, "StudyDate", "20240115", true)]
    [InlineData(QidoLevel.Study, "StudyDate", "20240101-20240131", true)]
    [InlineData(QidoLevel.Study, "StudyDate", "20240116-", false)]
    [InlineData(QidoLevel.Study, "StudyDate", "-20240115", true)]
    [InlineData(QidoLevel.Study, "StudyTime", "07-0730", true)]
    [InlineData(QidoLevel.Study, "StudyTime", "0731-", false)]
    [InlineData(QidoLevel.Study, "ModalitiesInStudy", "SR", true)]
    [InlineData(QidoLevel.Study, "ModalitiesInStudy", "MR,SR", true)]
    [InlineData(QidoLevel.Study, "ModalitiesInStudy", "MR", false)]
    [InlineData(QidoLevel.Study, "PatientName", "anon^*", true)]
    [InlineData(QidoLevel.Study, "PatientName", "Anon^Subject00?", true)]
    [InlineData(QidoLevel.Study, "PatientName", "Anon", false)]
    [InlineData(QidoLevel.Study, "PatientID", "SUBJ-001", true)]
    [InlineData(QidoLevel.Study, "PatientID", "subj-001", false)]
    [InlineData(QidoLevel.Study, "PatientID", "*", true)]
    [InlineData(QidoLevel.Study, "AccessionNumber", "", true)]
    [InlineData(QidoLevel.Study, "AccessionNumber", "A*", false)]
    [InlineData(QidoLevel.Series, "Modality", "CT", true)]
    [InlineData(QidoLevel.Series, "SeriesNumber", "3", true)]
    [InlineData(QidoLevel.Series, "SeriesNumber", "4", false)]
    [InlineData(QidoLevel.Series, "StudyDate", "2024*", true)]
    [InlineData(QidoLevel.Instance, "SOPInstanceUID", "2.25.111", true)]
    [InlineData(QidoLevel.Instance, "InstanceNumber", "12", true)]
    [InlineData(QidoLevel.Instance, "SOPClassUID", "1.2.840.10008.5.1.4.1.1.4", false)]
    [InlineData(QidoLevel.Instance, "Modality", "CT", true)]
    public void Each_matching_type_matches_per_CFind(QidoLevel level, string key, string value, bool expected)
    {
        if (key == "StudyDate" && value.Contains('*', StringComparison.Ordinal))
        {
            // DA takes no wildcards: refused, not ignored.
            Assert.Throws<QidoQueryException>(() => Parse(level, (key, value)));
            return;
        }

        Assert.Equal(expected, Parse(level, (key, value)).Matches(Ct));
    }

    [Theory]
    [InlineData("PatientBirthDate", "19700101", "not a matching key")]
    [InlineData("NoSuchKeyword", "x", "neither a DICOM attribute")]
    [InlineData("StudyInstanceUID", "2.25.*", "takes UIDs")]
    [InlineData("StudyDate", "2024-01-15", "takes a DA")]
    [InlineData("StudyDate", "-", "takes a DA")]
    [InlineData("StudyTime", "25", "takes a TM")]
    [InlineData("limit", "-1", "whole number")]
    [InlineData("offset", "ten", "whole number")]
    [InlineData("fuzzymatching", "yes", "true or false")]
    [InlineData("includefield", "NotAnAttribute", "includefield")]
    [InlineData("PatientID", "A\\B", "takes one value")]
    public void Bad_queries_are_refused_with_a_reason(string key, string value, string reason)
    {
        var ex = Assert.Throws<QidoQueryException>(() => Parse(QidoLevel.Study, (key, value)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("19700101", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_given_twice_is_refused()
    {
        Assert.Throws<QidoQueryException>(() => Parse(QidoLevel.Study, ("PatientID", "a"), ("00100020", "b")));
        Assert.Throws<QidoQueryException>(() => Parse(QidoLevel.Study, ("limit", "1"), ("limit", "2")));
    }

    [Fact]
    public void A_study_key_is_not_a_matching_key_of_a_lower_levels_child_and_instance_keys_are_not_study_keys()
    {
        var ex = Assert.Throws<QidoQueryException>(() => Parse(QidoLevel.Study, ("SOPInstanceUID", "2.25.1")));
        Assert.Contains("StudyInstanceUID", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_offset_fuzzymatching_and_includefield_are_read()
    {
        var q = QidoQueryParser.Parse(QidoLevel.Series, "2.25.1", null,
            [KeyValuePair.Create("limit", "5000"), KeyValuePair.Create("offset", "2"), KeyValuePair.Create("fuzzymatching", "true"),
             KeyValuePair.Create("includefield", "00081030,PatientAge"), KeyValuePair.Create("includefield", "all")],
            new QidoQueryLimits { MaxResults = 100 });
        Assert.Equal(100, q.Limit);
        Assert.True(q.LimitCapped);
        Assert.Equal(2, q.Offset);
        Assert.True(q.FuzzyMatchingRequested);
        Assert.True(q.IncludeAll);
        Assert.Equal(["StudyDescription", "PatientAge"], q.IncludeFields.Select(a => a.Name));
        Assert.Equal("2.25.1", q.StudyInstanceUid);
    }

    [Fact]
    public void The_path_scope_restricts_matches()
    {
        Assert.True(QidoQueryParser.Parse(QidoLevel.Instance, "2.25.1", "2.25.11", []).Matches(Ct));
        Assert.False(QidoQueryParser.Parse(QidoLevel.Instance, "2.25.1", "2.25.12", []).Matches(Ct));
        Assert.False(QidoQueryParser.Parse(QidoLevel.Series, "2.25.2", null, []).Matches(Ct));
    }

    [Fact]
    public void Pages_are_cut_by_offset_and_limit_and_say_whether_more_remain()
    {
        var q = Parse(QidoLevel.Study, ("limit", "2"), ("offset", "3"));
        Assert.Equal([3, 4], q.Page(Enumerable.Range(0, 10), out var more));
        Assert.True(more);
        Assert.Equal([8, 9], Parse(QidoLevel.Study, ("limit", "2"), ("offset", "8")).Page(Enumerable.Range(0, 10), out more));
        Assert.False(more);
        Assert.Empty(Parse(QidoLevel.Study, ("offset", "20")).Page(Enumerable.Range(0, 10), out more));
    }

    [Fact]
    public void Results_carry_defaults_of_the_spanned_levels_matching_keys_and_includefields()
    {
        var q = Parse(QidoLevel.Instance, ("PatientID", "*"), ("includefield", "BodyPartExamined"));
        var names = q.ReturnAttributes(Ct).Select(a => a.Name).ToList();
        Assert.Contains("SOPInstanceUID", names);
        Assert.Contains("SeriesInstanceUID", names);
        Assert.Contains("StudyInstanceUID", names);
        Assert.Contains("PatientID", names);
        Assert.Contains("BodyPartExamined", names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData("abc", "a*c", true)]
    [InlineData("abc", "a?c", true)]
    [InlineData("abc", "a?", false)]
    [InlineData("", "*", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*c", false)]
    public void Wildcards_follow_CFind(string value, string pattern, bool expected) =>
        Assert.Equal(expected, QidoWildcard.IsMatch(value, pattern, false));
}
