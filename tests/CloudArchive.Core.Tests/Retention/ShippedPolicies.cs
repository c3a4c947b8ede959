using CloudArchive.Core.Retention;

namespace CloudArchive.Core.Tests.Retention;

/// <summary>Loads the rule sets shipped in data/policies/retention (copied next to the test assembly).</summary>
internal static class ShippedPolicies
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "policies", "retention");

    public static string File(string name) => Path.Combine(Directory, name);

    public static Task<RetentionPolicy> LoadAsync(params string[] names) =>
        RetentionPolicyLoader.LoadFilesAsync(names.Select(File), Xunit.TestContext.Current.CancellationToken);

    public static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
