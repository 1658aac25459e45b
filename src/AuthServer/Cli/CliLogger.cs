namespace AuthServer.Cli;

/// <summary>Log lines of a command as one line each on stderr (<c>warning: ...</c>), without the console logger's two-line layout.</summary>
internal sealed class CliLogger(TextWriter error) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var level = logLevel == LogLevel.Warning ? "warning" : "error";
        lock (error) error.WriteLine($"{level}: {formatter(state, exception).ReplaceLineEndings(" ")}");
    }

    public void Dispose()
    {
    }
}
