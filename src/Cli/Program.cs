using Jevm.Cli;

return CommandLine.Run(args);
