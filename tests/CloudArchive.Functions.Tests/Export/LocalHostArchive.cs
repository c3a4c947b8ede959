using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// What every local host of the export and researcher API tests needs to start: a complete, valid archive configuration
/// (Azurite, the local key provider over an existing temp directory, the repository's policy files, unique container
/// names) with the local host's triggers off unless a test turns them on.
/// </summary>
internal static class LocalHostArchive
{
    /// <summary>The Kestrel arguments: a free loopback port.</summary>
    public static readonly string[] Args = ["--urls", "http://127.0.0.1:0"];

    /// <summary>Unique names for every container role.</summary>
    public static Dictionary<string, string> UniqueContainers() => new(StringComparer.Ordinal)
    {
        ["Incoming"] = AzuriteFixture.UniqueName("in"),
        ["Archive"] = AzuriteFixture.UniqueName("ar"),
        ["Quarantine"] = AzuriteFixture.UniqueName("qu"),
        ["Keyring"] = AzuriteFixture.UniqueName("kr"),
        ["Audit"] = AzuriteFixture.UniqueName("au"),
        ["Control"] = AzuriteFixture.UniqueName("co"),
        ["Research"] = AzuriteFixture.UniqueName("re"),
    };

    /// <summary>A new, existing local key directory (the Local provider refuses a missing one; an empty one gets a key on first use).</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string keyDirectory, IReadOnlyDictionary<string, string> containers)
    {
        var settings = TestArchiveSettings.For(connectionString, keyDirectory);
        settings["LocalHost:RunTriggers"] = "false";
        foreach (var (role, name) in containers)
        {
            settings["CloudArchive:Containers:" + role] = name;
        }

        return settings;
    }

    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

}
