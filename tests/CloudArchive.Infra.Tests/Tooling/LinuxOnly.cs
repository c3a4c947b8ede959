using System.Runtime.Versioning;

// The Bicep CLI comes from the linux-x64 package (Azure.Bicep.CommandLine.linux-x64), so these tests run on Linux only,
// like CI and the development containers.
[assembly: SupportedOSPlatform("linux")]
