using AuthServer.Demo;

namespace AuthServer.Cli;

/// <summary><c>authserver demo</c>: the whole handshake and a push and pull, in one process, from nothing.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Start a token server and the built-in registry on free loopback ports, walk the six steps, push and pull an image")
        {
            RegistryCommand.Mode,
        };
        command.SetAction((parse, ct) => DemoRun.RunAsync(RegistryCommand.ModeOf(parse), Console.Out, Console.Error, ct));
        return command;
    }
}
