package io.remit.localcluster.master;

import org.apache.mesos.v1.Protos.TaskInfo;

/** The checks Mesos makes on a task before it looks at resources; null when the task is fine. */
final class TaskValidation {

    private TaskValidation() {
    }

    static String validate(FrameworkState fw, AgentState agent, TaskInfo task) {
        String idError = validateId(task.getTaskId().getValue());
        if (idError != null) {
            return "Task ID '" + task.getTaskId().getValue() + "' is invalid: " + idError;
        }
        if (!task.getAgentId().getValue().equals(agent.id)) {
            return "Task uses invalid agent: " + task.getAgentId().getValue();
        }
        TaskRecord existing = fw.tasks.get(task.getTaskId().getValue());
        if (existing != null) {
            return "Task has duplicate ID: " + task.getTaskId().getValue();
        }
        if (task.hasExecutor() == task.hasCommand()) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }
        if (task.getResourcesCount() == 0) {
            return "Task uses no resources";
        }
        if (task.hasExecutor()) {
            var executor = task.getExecutor();
            String eidError = validateId(executor.getExecutorId().getValue());
            if (eidError != null) {
                return "Executor ID '" + executor.getExecutorId().getValue() + "' is invalid: " + eidError;
            }
            if (executor.hasFrameworkId() && !executor.getFrameworkId().equals(fw.id)) {
                return "ExecutorInfo has an invalid FrameworkID (Actual: " + executor.getFrameworkId().getValue()
                        + " vs Expected: " + fw.id.getValue() + ")";
            }
            if (!executor.hasCommand() && executor.getType() != org.apache.mesos.v1.Protos.ExecutorInfo.Type.DEFAULT) {
                return "Executor '" + executor.getExecutorId().getValue() + "' has no CommandInfo";
            }
            for (TaskRecord other : fw.tasks.values()) {
                if (!other.terminal() && other.agentId.equals(agent.id) && other.info.hasExecutor()
                        && other.info.getExecutor().getExecutorId().equals(executor.getExecutorId())
                        && !other.info.getExecutor().getCommand().equals(executor.getCommand())) {
                    return "ExecutorInfo is not compatible with ExecutorInfo of running task "
                            + other.info.getTaskId().getValue();
                }
            }
        }
        if (task.hasCommand() && !task.getCommand().hasValue() && task.getCommand().getShell()) {
            return "Task's CommandInfo has shell=true but no value";
        }
        return null;
    }

    /** Mesos's rules for task and executor ids. */
    static String validateId(String id) {
        if (id.isEmpty()) {
            return "ID must not be empty";
        }
        if (id.equals(".") || id.equals("..")) {
            return "'.' and '..' are disallowed";
        }
        if (id.contains("/")) {
            return "'/' is disallowed";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c > 0x7e || Character.isWhitespace(c)) {
                return "Whitespace and non-printable characters are disallowed";
            }
        }
        return null;
    }
}
