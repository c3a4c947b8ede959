using CloudArchive.Core.Policies;
using Xunit;

namespace CloudArchive.Core.Tests.Policies;

public sealed class IngestPoliciesTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "policies");

    [Fact]
    public async Task The_shipped_policies_load_together()
    {
        var files = IngestPolicies.SplitFileList("retention/default.json; retention/uk-nhs-england.json", Root);

        var policies = await IngestPolicies.LoadAsync(files, Path.Combine(Root, "minimization", "default.json"), TestContext.Current.CancellationToken);

        Assert.Equal(5, policies.Retention.Rules.Count);
        Assert.Equal("Default", policies.Minimization.Name);
    }

    [Fact]
    public async Task Problems_of_all_files_are_reported_at_once()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"ca-retention-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(broken, "{\"schema\":\"cloudarchive/retention-policy/v1\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"description\":\"d\",\"period\":\"10Y\"}]}", TestContext.Current.CancellationToken);
        try
        {
            var ex = await Assert.ThrowsAsync<PolicyValidationException>(() =>
                IngestPolicies.LoadAsync([broken], Path.Combine(Root, "minimization", "missing.json"), TestContext.Current.CancellationToken));

            Assert.Equal("ingest", ex.PolicyKind);
            Assert.Equal([broken, Path.Combine(Root, "minimization", "missing.json")], ex.Errors.Select(e => e.Source));
            Assert.Equal("$.rules[0].period", ex.Errors[0].Path);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task Missing_configuration_is_reported()
    {
        var ex = await Assert.ThrowsAsync<PolicyValidationException>(() => IngestPolicies.LoadAsync([], null, TestContext.Current.CancellationToken));

        Assert.Equal(2, ex.Errors.Count);
        Assert.All(ex.Errors, e => Assert.Equal("(configuration)", e.Source));
    }

    [Fact]
    public void File_lists_accept_separators_and_resolve_relative_paths()
    {
        Assert.Equal(["/base/a.json", "/abs/b.json", "/base/c.json"], IngestPolicies.SplitFileList(" a.json ;/abs/b.json,\nc.json;", "/base"));
        Assert.Empty(IngestPolicies.SplitFileList("  ", "/base"));
    }
}
