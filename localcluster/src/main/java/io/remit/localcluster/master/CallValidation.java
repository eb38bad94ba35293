package io.remit.localcluster.master;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** The master's validation of a scheduler call, in Mesos's order and words; null when valid. */
final class CallValidation {

    private CallValidation() {
    }

    static String validate(Call call) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return "Expecting 'subscribe' to be present";
            }
            var info = call.getSubscribe().getFrameworkInfo();
            boolean same = info.hasId() == call.hasFrameworkId()
                    && (!info.hasId() || info.getId().equals(call.getFrameworkId()));
            return same ? null : "'framework_id' differs from 'subscribe.framework_info.id'";
        }
        if (!call.hasFrameworkId()) {
            return "Expecting 'framework_id' to be present";
        }
        return switch (call.getType()) {
            case ACCEPT -> call.hasAccept() ? null : missing("accept");
            case DECLINE -> call.hasDecline() ? null : missing("decline");
            case ACCEPT_INVERSE_OFFERS -> call.hasAcceptInverseOffers() ? null : missing("accept_inverse_offers");
            case DECLINE_INVERSE_OFFERS -> call.hasDeclineInverseOffers() ? null : missing("decline_inverse_offers");
            case KILL -> call.hasKill() ? null : missing("kill");
            case SHUTDOWN -> call.hasShutdown() ? null : missing("shutdown");
            case RECONCILE -> call.hasReconcile() ? null : missing("reconcile");
            case RECONCILE_OPERATIONS -> call.hasReconcileOperations() ? null : missing("reconcile_operations");
            case MESSAGE -> call.hasMessage() ? null : missing("message");
            case REQUEST -> call.hasRequest() ? null : missing("request");
            case ACKNOWLEDGE -> !call.hasAcknowledge() ? missing("acknowledge")
                    : validUuid(call.getAcknowledge().getUuid()) ? null : "Not a valid UUID";
            case ACKNOWLEDGE_OPERATION_STATUS -> !call.hasAcknowledgeOperationStatus()
                    ? missing("acknowledge_operation_status")
                    : !validUuid(call.getAcknowledgeOperationStatus().getUuid()) ? "Not a valid UUID"
                    : !call.getAcknowledgeOperationStatus().hasAgentId() ? "Expecting 'agent_id' to be present" : null;
            case UPDATE_FRAMEWORK -> !call.hasUpdateFramework() ? missing("update_framework")
                    : call.getUpdateFramework().getFrameworkInfo().getId().equals(call.getFrameworkId()) ? null
                    : "'framework_id' differs from 'update_framework.framework_info.id'";
            default -> null;
        };
    }

    private static String missing(String field) {
        return "Expecting '" + field + "' to be present";
    }

    /** A uuid as Mesos checks it: 16 bytes with a known version (1 to 5). */
    static boolean validUuid(ByteString uuid) {
        if (uuid.size() != 16) {
            return false;
        }
        int version = (uuid.byteAt(6) & 0xf0) >> 4;
        return version >= 1 && version <= 5;
    }
}
