using CloudArchive.Core.Minimization;
using CloudArchive.Core.Policies;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.Minimization;

public sealed class MinimizationPolicyLoaderTests
{
    private static string PolicyFile(string name) => Path.Combine(AppContext.BaseDirectory, "policies", "minimization", name);

    private static string Policy(string rules, string extra = "") =>
        "{\"schema\": \"cloudarchive/minimization-policy/v1\", \"name\": \"T\", \"rules\": [" + rules + "]" + extra + "}";

    private static PolicyValidationException Invalid(string json) =>
        Assert.Throws<PolicyValidationException>(() => MinimizationPolicyLoader.Parse(json, "m.json"));

    [Fact]
    public async Task The_shipped_default_removes_non_clinical_demographics_and_keeps_clinical_identity()
    {
        var policy = await MinimizationPolicyLoader.LoadFileAsync(PolicyFile("default.json"), TestContext.Current.CancellationToken);

        var removed = policy.Rules.SelectMany(r => r.Remove).Select(t => t.Tag).ToHashSet();
        Assert.Contains(new DicomTag(0x0010, 0x1040), removed); // address
        Assert.Contains(new DicomTag(0x0010, 0x2154), removed); // telephone numbers
        Assert.Contains(new DicomTag(0x0010, 0x1060), removed); // mother's birth name
        Assert.Contains(new DicomTag(0x0010, 0x21F0), removed); // religious preference
        Assert.Contains(new DicomTag(0x0010, 0x1080), removed); // military rank
        Assert.Contains(new DicomTag(0x0010, 0x0050), removed); // insurance plan code sequence
        Assert.DoesNotContain(new DicomTag(0x0010, 0x0010), removed); // name
        Assert.DoesNotContain(new DicomTag(0x0010, 0x0020), removed); // id
        Assert.DoesNotContain(new DicomTag(0x0010, 0x0030), removed); // birth date
        Assert.DoesNotContain(new DicomTag(0x0010, 0x0040), removed); // sex
        Assert.DoesNotContain(new DicomTag(0x0010, 0x2160), removed); // ethnic group (reference populations)
        Assert.Null(policy.KeptPrivateCreators);
    }

    [Fact]
    public async Task The_example_allow_list_policy_loads()
    {
        var policy = await MinimizationPolicyLoader.LoadFileAsync(PolicyFile("example-private-allowlist.json"), TestContext.Current.CancellationToken);

        Assert.NotNull(policy.KeptPrivateCreators);
        Assert.Contains("gems_acqu_01", policy.KeptPrivateCreators);
        Assert.Equal(["MG"], policy.Rules.Single(r => r.Id == "mammography-no-comments").Modalities);
    }

    [Fact]
    public void Keywords_and_tags_resolve_to_the_same_targets()
    {
        var policy = MinimizationPolicyLoader.Parse(Policy("""{"id":"a","description":"d","remove":["PatientAddress","(0010,2154)","00101060","OverlayComments"]}"""), "m.json");

        var targets = policy.Rules.Single().Remove;
        Assert.Equal("PatientAddress (0010,1040)", targets[0].Label);
        Assert.Equal(new DicomTag(0x0010, 0x2154), targets[1].Tag);
        Assert.Equal(new DicomTag(0x0010, 0x1060), targets[2].Tag);
        // A repeating-group keyword matches every overlay group.
        Assert.True(targets[3].Matches(new DicomTag(0x6002, 0x4000)));
        Assert.False(targets[3].Matches(new DicomTag(0x0010, 0x4000)));
    }

    [Fact]
    public void Every_bad_entry_is_reported_with_its_path()
    {
        var ex = Invalid(Policy("""
            {"id":"a","description":"d","remove":["PatientAdress","patientaddress","(0029,1010)","PatientID","StudyInstanceUID","PixelData","Rows","(0002,0010)","(0010,10X0)","PatientAddress","PatientAddress"]}
            """));

        Assert.Equal(
            ["$.rules[0].remove[0]", "$.rules[0].remove[1]", "$.rules[0].remove[2]", "$.rules[0].remove[3]", "$.rules[0].remove[4]", "$.rules[0].remove[5]", "$.rules[0].remove[6]", "$.rules[0].remove[7]", "$.rules[0].remove[8]", "$.rules[0].remove[10]"],
            ex.Errors.Select(e => e.Path));
        Assert.Contains("did you mean 'PatientAddress'", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("privateCreators", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("pseudonym", ex.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("listed twice", ex.Errors[9].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_are_validated()
    {
        var ex = Invalid(Policy("""{"id":"a","description":"d","when":{"modalities":["mr"],"sopClasses":["1.2.840.10008.5.1.4.1.1.2","1.2.abc"],"bodyParts":["HEAD"]},"remove":["PatientAddress"]}"""));

        Assert.Equal(["$.rules[0].when.bodyParts", "$.rules[0].when.modalities[0]", "$.rules[0].when.sopClasses[1]"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Private_creator_list_is_validated()
    {
        var ex = Invalid(Policy("", """, "privateCreators": {"keep": ["GEMS_ACQU_01", "gems_acqu_01", "", "A\\B"]}"""));

        Assert.Equal(["$.privateCreators.keep[1]", "$.privateCreators.keep[2]", "$.privateCreators.keep[3]"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Structure_errors_are_reported()
    {
        var ex = Invalid("""{"schema":"x","rules":[{"id":"A B","remove":[]},{"id":"b","description":"d"}],"extra":1}""");

        Assert.Equal(["$.extra", "$.schema", "$.name", "$.rules[0].id", "$.rules[0].description", "$.rules[0].remove", "$.rules[1].remove"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Duplicate_rule_ids_are_rejected()
    {
        var ex = Invalid(Policy("""{"id":"a","description":"d","remove":["Occupation"]},{"id":"a","description":"d","remove":["PatientAddress"]}"""));

        Assert.Equal("$.rules[1].id", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public async Task A_missing_file_is_a_policy_error()
    {
        var ex = await Assert.ThrowsAsync<PolicyValidationException>(() =>
            MinimizationPolicyLoader.LoadFileAsync(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json"), TestContext.Current.CancellationToken));

        Assert.Equal("minimization", ex.PolicyKind);
    }
}
