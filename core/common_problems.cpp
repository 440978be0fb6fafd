#include "common_problems.hpp"

namespace certphoto {

const std::vector<CommonProblem>& common_problems() {
    // Texts quoted from the notice (seed/000_21bcdbe5151cfcb6.txt, 附件2); rules as SPEC.md's seed column.
    static const std::vector<CommonProblem> problems{
        {1, {"Problem 1", "问题一"},
         {"Uneven light on the face: one side bright, the other dark.", "脸部光线不均匀，一边亮一边暗。"},
         {"Face the better light source so that the face is evenly lit.", "面对光源较好的方向，确保脸部光线均匀。"},
         {"lighting-even"}},
        {2, {"Problem 2", "问题二"},
         {"A photo of another photo, or beautified too much.", "翻拍其他照片或过度美颜。"},
         {"Photograph the real person: a certificate photo must be true; no beautification, no re-photographing.",
          "拍真实的自己，证件照注重真实性，严禁美颜处理，严禁翻拍。"},
         {"rephotographed", "retouched"}},
        {3, {"Problem 3", "问题三"},
         {"Blurred image.", "图像模糊。"},
         {"Clean the camera lens, hold the camera steady, and look at the shot after taking it.",
          "拍照前擦拭手机后置摄像头，拍照时保持手机稳定，拍照后点击查看。"},
         {"sharpness"}},
        {4, {"Problem 4", "问题四"},
         {"Too much light on the face: overexposed.", "脸部光线太强造成曝光过度。"},
         {"Avoid flash and places in strong direct light.", "避免用闪光灯或在强光直接照射的地方拍照。"},
         {"exposure-bright"}},
        {5, {"Problem 5", "问题五"},
         {"Strong light on top of the head changes the hair colour.", "头顶灯光太强，导致发色异常。"},
         {"Do not stand directly under a light.", "避开直接在灯光下拍照。"},
         {"top-light"}},
        {6, {"Problem 6", "问题六"},
         {"The face is too dark.", "脸部光线太暗。"},
         {"Find a well-lit place to take the photo.", "找一个光线良好的拍照环境拍摄。"},
         {"exposure-dark"}},
        {7, {"Problem 7", "问题七"},
         {"A full-body shot: the face is too small.", "拍照时不应拍全身照，造成图像太小。"},
         {"Fit the head and shoulders into the outline frame before shooting.",
          "拍照时将头部、肩膀对应放入“人形虚线取景框”后再拍摄。"},
         {"face-resolution"}},
    };
    return problems;
}

}  // namespace certphoto
