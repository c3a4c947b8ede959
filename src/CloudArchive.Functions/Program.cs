using CloudArchive.Functions;

var app = FunctionsApp.Build(args);
await app.RunAsync().ConfigureAwait(false);
