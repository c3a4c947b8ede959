using System.Reflection;
using CloudArchive.Azure.Composition;
using CloudArchive.Functions.Ingest;

namespace CloudArchive.Infra.Tests;

/// <summary>
/// The configuration keys the app reads, derived from the code: every public <c>const string</c> of the Azure and
/// Functions assemblies that is a <c>CloudArchive:Section:Key</c> (the settings models' key constants), and for an
/// options type with a <c>Section</c> constant, each of its settable properties (what configuration binding reads).
/// </summary>
internal static class CodeSettings
{
    /// <summary>Read by the code but only meaningful on a developer machine: the template must not set them.</summary>
    public static readonly string[] LocalOnly =
    [
        "CloudArchive:Storage:ConnectionString", // a key or SAS; Azure uses the identity and ServiceUri
        "CloudArchive:Keys:LocalKeyFile", // the insecure local KEK
        "CloudArchive:Keys:AllowLocalKeyInAzure", // the override that would permit it in Azure
        "CloudArchive:Auth:DevelopmentIssuerKeyDirectory", // the loopback development token issuer
    ];

    /// <summary>
    /// The Entra ID token validation settings (CloudArchive:Auth). The template sets them for the app's own token check
    /// behind App Service Authentication; once the settings model declares them they are derived like every other key.
    /// </summary>
    public static readonly string[] Auth =
    [
        "CloudArchive:Auth:TenantId", "CloudArchive:Auth:Audience", "CloudArchive:Auth:ClientId", "CloudArchive:Auth:Instance",
    ];

    /// <summary>Read by the platform libraries rather than our settings models.</summary>
    public static readonly string[] Platform =
    [
        "AZURE_CLIENT_ID", // DefaultAzureCredential picks the user-assigned identity by it
        "APPLICATIONINSIGHTS_CONNECTION_STRING", // the worker's Application Insights exporter
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", // ... and its Entra ID authentication (local auth is off)
        "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", // the Functions host's HTTP body limit, raised for STOW-RS
    ];

    /// <summary>Every <c>CloudArchive:</c> key the Azure and Functions assemblies declare, minus <see cref="LocalOnly"/>.</summary>
    public static IReadOnlySet<string> AzureKeys { get; } = Derive();

    /// <summary>A configuration key as an app setting name (<c>:</c> becomes <c>__</c>).</summary>
    public static string AppSettingName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static HashSet<string> Derive()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { typeof(CloudArchiveSettings).Assembly, typeof(IngestInstance).Assembly }.SelectMany(a => a.GetTypes()))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(f => f is { IsLiteral: true, FieldType.Name: "String" }))
            {
                var value = (string)field.GetRawConstantValue()!;
                if (!value.StartsWith("CloudArchive:", StringComparison.Ordinal))
                {
                    continue;
                }

                var segments = value.Split(':');
                if (segments.Length == 3)
                {
                    keys.Add(value);
                }
                else if (segments.Length == 2 && field.Name == "Section")
                {
                    foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
                    {
                        keys.Add($"{value}:{property.Name}");
                    }
                }
            }
        }

        keys.ExceptWith(LocalOnly);
        return keys;
    }
}
