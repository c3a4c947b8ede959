using System.Reflection;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests.Architecture;

/// <summary>
/// The dependency direction of CONTRIBUTING.md, read from the compiled assemblies: Dicom ← Deidentification;
/// Dicom ← Core; Core + Deidentification ← Research; Research ← Azure ← Functions / Cli. A reference the compiler kept
/// is a type actually used, so an edge against the direction fails here with its name.
/// </summary>
public sealed class DependencyDirectionTests
{
    private const string Dicom = "CloudArchive.Dicom";
    private const string Deidentification = "CloudArchive.Deidentification";
    private const string Core = "CloudArchive.Core";
    private const string Research = "CloudArchive.Research";
    private const string Azure = "CloudArchive.Azure";
    private const string Functions = "CloudArchive.Functions";
    private const string Cli = "CloudArchive.Cli";

    // The CLI's assembly is named for its executable; every other project's assembly bears the project's name.
    private static readonly Dictionary<string, string> AssemblyNames = new(StringComparer.Ordinal)
    {
        [Dicom] = Dicom,
        [Deidentification] = Deidentification,
        [Core] = Core,
        [Research] = Research,
        [Azure] = Azure,
        [Functions] = Functions,
        [Cli] = "cloudarchive",
    };

    /// <summary>Which CloudArchive projects each may use, directly or not: lower layers only, never a sibling host.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        [Dicom] = [],
        [Deidentification] = [Dicom],
        [Core] = [Dicom],
        [Research] = [Dicom, Deidentification, Core],
        [Azure] = [Dicom, Deidentification, Core, Research],
        [Functions] = [Dicom, Deidentification, Core, Research, Azure],
        [Cli] = [Dicom, Deidentification, Core, Research, Azure],
    };

    /// <summary>The projects that know no storage SDK, no HTTP host and no Functions runtime.</summary>
    private static readonly string[] Inner = [Dicom, Deidentification, Core, Research];

    public static TheoryData<string> Projects => [.. Allowed.Keys];

    public static TheoryData<string> InnerProjects => [.. Inner];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_project_references_only_the_cloudarchive_projects_below_it(string project)
    {
        var offending = CloudArchiveReferences(project).Where(r => !Allowed[project].Contains(r)).Select(r => $"{project} -> {r}").ToList();

        Assert.True(offending.Count == 0, "references against the dependency direction: " + string.Join(", ", offending));
    }

    [Theory]
    [MemberData(nameof(InnerProjects))]
    public void Inner_projects_reference_no_storage_sdk_http_host_or_functions_runtime(string project)
    {
        var offending = References(project).Where(IsOuterPackage).Select(r => $"{project} -> {r}").ToList();

        Assert.True(offending.Count == 0, "inner project references an outer package: " + string.Join(", ", offending));
    }

    [Fact]
    public void Core_references_no_azure_assembly_but_azure_core()
    {
        // Core holds the port IKeyEncryptionKey (Azure.Core.Cryptography) and nothing else of the Azure SDK.
        var offending = References(Core).Where(r => r.StartsWith("Azure.", StringComparison.Ordinal) && r != "Azure.Core").Select(r => $"{Core} -> {r}").ToList();

        Assert.True(offending.Count == 0, "Core references Azure SDK assemblies besides Azure.Core: " + string.Join(", ", offending));
    }

    [Theory]
    [InlineData(Dicom)]
    [InlineData(Deidentification)]
    public void The_codec_and_the_de_identification_engine_reference_no_azure_assembly(string project)
    {
        var offending = References(project).Where(r => r.StartsWith("Azure.", StringComparison.Ordinal)).Select(r => $"{project} -> {r}").ToList();

        Assert.True(offending.Count == 0, "references an Azure SDK assembly: " + string.Join(", ", offending));
    }

    [Fact]
    public void The_functions_app_and_the_cli_do_not_reference_each_other()
    {
        var offending = CloudArchiveReferences(Functions).Where(r => r == Cli).Select(r => $"{Functions} -> {r}")
            .Concat(CloudArchiveReferences(Cli).Where(r => r == Functions).Select(r => $"{Cli} -> {r}"))
            .ToList();

        Assert.True(offending.Count == 0, "the two hosts reference each other: " + string.Join(", ", offending));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_project_declares_its_types_under_its_own_namespace(string project)
    {
        // A type declared in another project's namespace (CloudArchive.Core.X inside Research) would hide an edge from
        // a reader who finds code by namespace; compiler- and generator-emitted types outside CloudArchive are ignored.
        var offending = Load(project).GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith("CloudArchive", StringComparison.Ordinal) && !(ns == project || ns.StartsWith(project + ".", StringComparison.Ordinal)))
            .Select(t => $"{project}: {t.FullName}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offending.Count == 0, "types outside the project's namespace: " + string.Join(", ", offending));
    }

    [Fact]
    public void The_rules_name_every_shipped_project()
    {
        var shipped = Directory.EnumerateDirectories(Path.Combine(InfraPaths.RepositoryRoot, "src")).Select(d => new DirectoryInfo(d).Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(shipped, Allowed.Keys.Order(StringComparer.Ordinal).ToList());
    }

    private static Assembly Load(string project) => Assembly.Load(new AssemblyName(AssemblyNames[project]));

    private static IEnumerable<string> References(string project) => Load(project).GetReferencedAssemblies().Select(r => r.Name!);

    private static IEnumerable<string> CloudArchiveReferences(string project) =>
        References(project).Select(r => AssemblyNames.FirstOrDefault(p => p.Value == r).Key).OfType<string>();

    private static bool IsOuterPackage(string name) =>
        name.StartsWith("Azure.Storage.", StringComparison.Ordinal)
        || name == "Azure.Identity"
        || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
        || name.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal)
        || name == "Microsoft.Extensions.Azure";
}
