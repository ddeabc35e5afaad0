using System.CommandLine;
using XmppSniff.Commands;

var root = new RootCommand("XmppSniff: connections, lifecycles and XMPP stanzas from capture files.")
{
    FlowsCommand.Create(),
    FollowCommand.Create(),
    SummaryCommand.Create(),
    EchoServerCommand.Create(),
    EchoClientCommand.Create(),
};
return root.Parse(args).Invoke();
